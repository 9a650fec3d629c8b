"""The background job runner. The jobs themselves live with the apps whose work they do
(the deadline watch in ``hotline.deadline_watch``, notification delivery in
``hotline.notifications``, the monthly report draft in ``hotline.reports.monthly``,
retraining in ``hotline.assistance.retraining``); ``registry`` names each by its dotted
path, ``hotline.domain.schedule`` says when they run and ``backends`` where."""


def enqueue(job: str, **params) -> None:
    """Runs ``job`` in the background (or at once, where nothing runs in the background)."""
    from hotline.jobs.backends import current

    current().enqueue(job, params)
