"""The transactional outbox: every background job and e-mail is first a row written in the
transaction of the change that causes it, then handed to Celery (see docs/workflows.md).

A call site reads like a task call::

    enqueue(tasks.build_export, request.pk)

inside the service's transaction (or outside any, where the row is committed at once).
"""


def enqueue(task, *args):
    """Write an outbox row for `task(*args)` in the current transaction; it is handed to
    the broker once that commits (inline without a broker). Returns the row."""
    from outbox.services import message_enqueue

    return message_enqueue(task=task, args=args)


def enqueue_many(task, args_list):
    """`enqueue` for many argument tuples of one task, in one INSERT."""
    from outbox.services import messages_enqueue

    return messages_enqueue(task=task, args_list=list(args_list))
