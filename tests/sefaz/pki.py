"""Throwaway certificates for the fake Sefaz: a CA, the server, and the shop's client certs.

Written once per test session (per xdist worker) into a temporary directory. EC keys keep
generation fast; the shop's certificate uses RSA like an ICP-Brasil A1 certificate.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    PrivateFormat,
    pkcs12,
)
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

KEY_PASSWORD = "chave-secreta"
PFX_PASSWORD = "senha-do-a1"

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


@dataclass(frozen=True)
class Pki:
    """Paths of the generated files (PEM unless stated)."""

    ca_cert: Path  # trusted by the server (client certs) and by the client (server cert)
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path
    client_key_encrypted: Path  # same key, encrypted with KEY_PASSWORD
    client_pfx: Path  # PKCS#12 with PFX_PASSWORD
    other_ca_cert: Path  # an unrelated CA: trusting only it must fail
    rogue_client_cert: Path  # issued by the unrelated CA: the server must refuse it
    rogue_client_key: Path
    expired_client_cert: Path
    expired_client_key: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "BR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Clientela Testes"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _certificate(
    subject: str,
    key: PrivateKey,
    issuer: tuple[x509.Certificate, PrivateKey] | None,
    *,
    ca: bool = False,
    usage: x509.ObjectIdentifier | None = None,
    expired: bool = False,
    san: list[x509.GeneralName] | None = None,
) -> x509.Certificate:
    now = datetime.now(UTC)
    start, end = now - timedelta(hours=1), now + timedelta(days=30)
    if expired:
        start, end = now - timedelta(days=400), now - timedelta(days=35)
    issuer_name, signing_key = (issuer[0].subject, issuer[1]) if issuer else (_name(subject), key)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    if usage is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    if san:
        builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
    return builder.sign(signing_key, hashes.SHA256())


def _write(path: Path, certificate: x509.Certificate, key: PrivateKey | None = None) -> Path:
    path.write_bytes(certificate.public_bytes(Encoding.PEM))
    if key is not None:
        path.with_suffix(".key").write_bytes(
            key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        )
    return path


def make_pki(directory: Path) -> Pki:
    """Create every certificate the Sefaz tests need under `directory`."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("AC Teste Sefaz", ca_key, None, ca=True)
    other_key = ec.generate_private_key(ec.SECP256R1())
    other_ca = _certificate("AC Desconhecida", other_key, None, ca=True)

    server_key = ec.generate_private_key(ec.SECP256R1())
    server = _certificate(
        "localhost",
        server_key,
        (ca, ca_key),
        usage=ExtendedKeyUsageOID.SERVER_AUTH,
        san=[x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))],
    )
    client_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    client = _certificate(
        "LOJA EXEMPLO LTDA:11222333000181",
        client_key,
        (ca, ca_key),
        usage=ExtendedKeyUsageOID.CLIENT_AUTH,
    )
    rogue_key = ec.generate_private_key(ec.SECP256R1())
    rogue = _certificate(
        "LOJA INTRUSA", rogue_key, (other_ca, other_key), usage=ExtendedKeyUsageOID.CLIENT_AUTH
    )
    expired_key = ec.generate_private_key(ec.SECP256R1())
    expired = _certificate(
        "LOJA VENCIDA",
        expired_key,
        (ca, ca_key),
        usage=ExtendedKeyUsageOID.CLIENT_AUTH,
        expired=True,
    )

    encrypted_key = directory / "client-encrypted.key"
    encrypted_key.write_bytes(
        client_key.private_bytes(
            Encoding.PEM, PrivateFormat.PKCS8, BestAvailableEncryption(KEY_PASSWORD.encode())
        )
    )
    pfx = directory / "client.pfx"
    pfx.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"loja", client_key, client, [ca], BestAvailableEncryption(PFX_PASSWORD.encode())
        )
    )
    return Pki(
        ca_cert=_write(directory / "ca.pem", ca),
        server_cert=_write(directory / "server.pem", server, server_key),
        server_key=directory / "server.key",
        client_cert=_write(directory / "client.pem", client, client_key),
        client_key=directory / "client.key",
        client_key_encrypted=encrypted_key,
        client_pfx=pfx,
        other_ca_cert=_write(directory / "other-ca.pem", other_ca),
        rogue_client_cert=_write(directory / "rogue.pem", rogue, rogue_key),
        rogue_client_key=directory / "rogue.key",
        expired_client_cert=_write(directory / "expired.pem", expired, expired_key),
        expired_client_key=directory / "expired.key",
    )
