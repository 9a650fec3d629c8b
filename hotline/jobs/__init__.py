"""Background jobs: deadline warnings, overdue marking and supervision, notification
delivery, the monthly report draft, model retraining. See ``registry`` for the jobs,
``hotline.domain.schedule`` for when they run and ``backends`` for where."""


def enqueue(job: str, **params) -> None:
    """Runs ``job`` in the background (or at once, where nothing runs in the background)."""
    from hotline.jobs.backends import current

    current().enqueue(job, params)
