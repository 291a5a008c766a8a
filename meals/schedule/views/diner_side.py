# OWNED BY A HELPER: being written.


def decide(request, *args, **kwargs):
    raise NotImplementedError


def preferences(request, *args, **kwargs):
    raise NotImplementedError


def reminders(request, *args, **kwargs):
    raise NotImplementedError
