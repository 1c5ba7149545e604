"""Domain errors: raised by services, shown by forms next to a field or by the API as a problem.

Messages are translated where they are raised (`portal.i18n._`); a lazy one is turned into
text here, so a message is always a plain `str` (JSON, flashes, logs).
"""

from portal.i18n import _


class DomainError(Exception):
    """A rule the input broke. `field` names the form/API field, `message` is for the user."""

    code = "invalid"

    def __init__(self, message: str, field: str | None = None, code: str | None = None):
        message = str(message)
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code

    def attach_to(self, form) -> None:
        """Show the message on the form field it concerns (or on the form as a whole)."""
        target = _resolve_field(form, self.field) if self.field else None
        if target is not None and hasattr(target, "errors"):
            errors = target.errors if isinstance(target.errors, list) else []
            target.errors = [*errors, self.message]
        else:
            form.form_errors.append(self.message)


def _resolve_field(form, name: str):
    """`phones-0-number` -> form.phones[0].form.number (FieldList/FormField paths)."""
    name = name.removeprefix(getattr(form, "_prefix", "") or "")
    target = getattr(form, name, None)
    if target is not None or "-" not in name:
        return target
    head, index, rest = [*name.split("-", 2), "", ""][:3]
    container = getattr(form, head, None)
    if container is None or not index.isdigit():
        return None
    wanted = f"{container.name}-{index}-"
    entries = [entry for entry in container if getattr(entry.form, "_prefix", "") == wanted]
    return _resolve_field(entries[0].form, rest) if entries else None


class NotFound(DomainError):
    code = "not_found"


class StaleEdit(DomainError):
    """Somebody else saved the record after this form was opened."""

    code = "stale"

    def __init__(self, message: str | None = None):
        super().__init__(
            message
            or _(
                "Someone else changed this record after you opened it. Your data was kept "
                "in the form: check the changes and save again."
            ),
        )


class InvalidInput(DomainError):
    """Several fields wrong at once: every one is reported, not just the first."""

    def __init__(self, errors: list[DomainError]):
        super().__init__(errors[0].message, field=errors[0].field, code="invalid")
        self.errors = errors

    def attach_to(self, form) -> None:
        for error in self.errors:
            error.attach_to(form)


class ErrorCollector:
    """Runs each check, keeps every DomainError, raises them together at the end."""

    def __init__(self) -> None:
        self.errors: list[DomainError] = []

    def check(self, func, *args, **kwargs):
        try:
            return func(*args, **kwargs)
        except InvalidInput as exc:
            self.errors.extend(exc.errors)
        except DomainError as exc:
            self.errors.append(exc)
        return None

    def add(self, message: str, field: str) -> None:
        self.errors.append(DomainError(message, field=field))

    def raise_if_any(self) -> None:
        if self.errors:
            raise InvalidInput(self.errors)
