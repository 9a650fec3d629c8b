"""gunicorn's logger with phone numbers taken out of each access line (gunicorn runs on
Linux only, so this lives apart from the application's log filter)."""

from gunicorn.glogging import Logger

from hotline.security.logs import redact_log_text


class GunicornLogger(Logger):
    """``--logger-class hotline.security.gunicorn_logs.GunicornLogger``: the request line,
    query and referrer of each access line redacted."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            name: redact_log_text(value) if isinstance(value, str) else value
            for name, value in atoms.items()
        }
