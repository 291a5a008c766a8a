# OWNED BY A HELPER: being written.


def week(request, *args, **kwargs):
    raise NotImplementedError


def meal(request, *args, **kwargs):
    raise NotImplementedError


def diner_meals(request, *args, **kwargs):
    raise NotImplementedError


def preferences(request, *args, **kwargs):
    raise NotImplementedError
