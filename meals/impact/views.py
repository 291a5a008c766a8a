# OWNED BY A HELPER: being written.


def impact(request, *args, **kwargs):
    raise NotImplementedError


def figures_csv(request, *args, **kwargs):
    raise NotImplementedError


def matches_csv(request, *args, **kwargs):
    raise NotImplementedError
