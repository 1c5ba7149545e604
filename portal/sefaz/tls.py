"""Mutual-TLS requests session for the Sefaz web services.

The client certificate is loaded into an `ssl.SSLContext` once per session. A PKCS#12
file is converted to PEM only for the instant `load_cert_chain` needs files: the files
live in a private temporary directory (0700, files 0600) and the key in them is encrypted
with a one-time password, so the plain key never touches the disk.
"""

from __future__ import annotations

import os
import secrets
import ssl
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    PrivateFormat,
    pkcs12,
)
from requests.adapters import HTTPAdapter
from urllib3.util.ssl_ import create_urllib3_context

from portal.i18n import _
from portal.sefaz.errors import SefazNotConfigured
from portal.sefaz.settings import SefazSettings


class _ClientCertificateAdapter(HTTPAdapter):
    """HTTPS adapter whose connections present the shop's certificate; never retries."""

    def __init__(self, context: ssl.SSLContext) -> None:
        self._context = context
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self._context
        super().init_poolmanager(*args, **kwargs)


def _not_configured(reason: str) -> SefazNotConfigured:
    return SefazNotConfigured(reason, code="certificado_invalido")


def _read(path: Path, what: str) -> bytes:
    """The file's bytes; `what` names it in the message (already translated)."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _not_configured(
            _(
                "Could not read %(what)s (%(path)s): %(error)s.",
                what=what,
                path=path,
                error=exc.strerror,
            )
        ) from exc


def _check_validity(certificate: x509.Certificate) -> None:
    """An expired A1 certificate is the most common outage; say so instead of a TLS error."""
    now = datetime.now(UTC)
    if certificate.not_valid_after_utc < now:
        expired = certificate.not_valid_after_utc.strftime("%d/%m/%Y")
        raise _not_configured(_("The digital certificate expired on %(date)s.", date=expired))
    if certificate.not_valid_before_utc > now:
        raise _not_configured(_("The digital certificate is not valid yet."))


def _write_private(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def _load_pkcs12(context: ssl.SSLContext, path: Path, password: str | None) -> None:
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(
            _read(path, _("the PKCS#12 certificate")), password.encode() if password else None
        )
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise _not_configured(
            _("Could not open the PKCS#12 certificate: wrong password or invalid file.")
        ) from exc
    if key is None or certificate is None:
        raise _not_configured(_("The PKCS#12 file does not hold a certificate and a private key."))
    _check_validity(certificate)
    one_time_password = secrets.token_urlsafe(32).encode()
    try:
        with tempfile.TemporaryDirectory(prefix="sefaz-") as directory:
            cert_file, key_file = Path(directory, "cert.pem"), Path(directory, "key.pem")
            _write_private(
                cert_file,
                b"".join(item.public_bytes(Encoding.PEM) for item in [certificate, *chain]),
            )
            _write_private(
                key_file,
                key.private_bytes(
                    Encoding.PEM, PrivateFormat.PKCS8, BestAvailableEncryption(one_time_password)
                ),
            )
            context.load_cert_chain(cert_file, key_file, password=one_time_password)
    except ssl.SSLError as exc:
        raise _not_configured(_("The PKCS#12 key does not match the certificate.")) from exc
    except OSError as exc:
        raise _not_configured(
            _("Could not prepare the certificate: %(error)s.", error=exc)
        ) from exc


def _load_pem(
    context: ssl.SSLContext, cert_path: Path, key_path: Path, password: str | None
) -> None:
    try:
        certificates = x509.load_pem_x509_certificates(_read(cert_path, _("the certificate")))
    except ValueError as exc:
        raise _not_configured(
            _("The certificate %(path)s is not a valid PEM.", path=cert_path)
        ) from exc
    _check_validity(certificates[0])
    _read(key_path, _("the private key"))
    try:
        # Always a password: with None, OpenSSL would prompt on the terminal for it.
        context.load_cert_chain(cert_path, key_path, password=password or "")
    except (OSError, ValueError) as exc:
        raise _not_configured(
            _("The private key does not match the certificate or the password is wrong.")
        ) from exc


def client_ssl_context(settings: SefazSettings) -> ssl.SSLContext:
    """TLS context carrying the client certificate; server trust is set by the session."""
    context = create_urllib3_context()
    if settings.pfx_path:
        _load_pkcs12(context, settings.pfx_path, settings.pfx_password)
    elif settings.cert_path and settings.key_path:
        _load_pem(context, settings.cert_path, settings.key_path, settings.key_password)
    else:
        raise SefazNotConfigured(
            _(
                "The shop's digital certificate is not configured "
                "(SEFAZ_PFX_PATH or SEFAZ_CERT_PATH)."
            )
        )
    return context


@contextmanager
def open_session(settings: SefazSettings) -> Iterator[requests.Session]:
    """Session with the shop's certificate, the configured CA winning over the environment."""
    if settings.ca_bundle and not settings.ca_bundle.is_file():
        raise SefazNotConfigured(
            _("Certificate authorities file not found: %(path)s.", path=settings.ca_bundle),
            code="ca_invalida",
        )
    context = client_ssl_context(settings)
    with requests.Session() as session:
        session.trust_env = False
        session.verify = str(settings.ca_bundle) if settings.ca_bundle else True
        session.mount("https://", _ClientCertificateAdapter(context))
        yield session
