# OWNED BY A HELPER: being written.


def record(request, *args, **kwargs):
    raise NotImplementedError


def no_answer(request, *args, **kwargs):
    raise NotImplementedError
