# OWNED BY A HELPER: being written.


def meals(request, *args, **kwargs):
    raise NotImplementedError


def propose(request, *args, **kwargs):
    raise NotImplementedError


def meal(request, *args, **kwargs):
    raise NotImplementedError


def change(request, *args, **kwargs):
    raise NotImplementedError


def cancel(request, *args, **kwargs):
    raise NotImplementedError


def change_series(request, *args, **kwargs):
    raise NotImplementedError


def end_series(request, *args, **kwargs):
    raise NotImplementedError
