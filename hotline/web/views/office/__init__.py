"""The office's own pages, one module each: the holiday table, the office settings, the
user accounts and the audit trail (SPEC 1: supervisor and administrator)."""

from hotline.web.views.office import audit, holidays, settings, users

urls = [*holidays.urls, *settings.urls, *users.urls, *audit.urls]
