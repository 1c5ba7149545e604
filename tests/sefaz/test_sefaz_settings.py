from pathlib import Path

import pytest

from portal.sefaz import SefazSettings


def test_defaults_are_producao_and_unconfigured():
    settings = SefazSettings()
    assert settings.environment == "producao"
    assert not settings.is_configured
    assert (settings.timeout, settings.cache_seconds, settings.backoff_seconds_after_656) == (
        10.0,
        86400,
        3600,
    )


def test_from_mapping_reads_every_key():
    settings = SefazSettings.from_mapping(
        {
            "SEFAZ_ENVIRONMENT": " Produção ",
            "SEFAZ_CERT_PATH": "/etc/loja/cert.pem",
            "SEFAZ_KEY_PATH": "/etc/loja/key.pem",
            "SEFAZ_KEY_PASSWORD": " segredo ",
            "SEFAZ_CA_BUNDLE": "/etc/loja/icp-brasil.pem",
            "SEFAZ_CADASTRO_URL": "",
            "SEFAZ_ENDPOINTS": "sp=https://sp.example/ws , RS=https://rs.example/ws,",
            "SEFAZ_TIMEOUT": "2.5",
            "SEFAZ_CACHE_SECONDS": 600,
            "SEFAZ_BACKOFF_SECONDS": "7200",
            "UNRELATED": "ignored",
        }
    )
    assert settings.environment == "producao"
    assert settings.cert_path == Path("/etc/loja/cert.pem")
    assert settings.key_password == " segredo "  # passwords are taken verbatim
    assert settings.ca_bundle == Path("/etc/loja/icp-brasil.pem")
    assert settings.url_override is None
    assert dict(settings.endpoint_overrides) == {
        "SP": "https://sp.example/ws",
        "RS": "https://rs.example/ws",
    }
    assert (settings.timeout, settings.cache_seconds, settings.backoff_seconds_after_656) == (
        2.5,
        600,
        7200,
    )
    assert settings.is_configured


def test_from_mapping_pkcs12_and_empty_mapping():
    settings = SefazSettings.from_mapping(
        {"SEFAZ_PFX_PATH": "/etc/loja/a1.pfx", "SEFAZ_PFX_PASSWORD": "s3nh@"}
    )
    assert settings.is_configured and settings.pfx_password == "s3nh@"
    assert SefazSettings.from_mapping({}) == SefazSettings()


def test_passwords_stay_out_of_repr():
    settings = SefazSettings(pfx_path="/a1.pfx", pfx_password="s3nh@-secreta")
    assert "s3nh@-secreta" not in repr(settings)
    assert isinstance(settings.pfx_path, Path)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"SEFAZ_ENVIRONMENT": "teste"}, "SEFAZ_ENVIRONMENT"),
        ({"SEFAZ_TIMEOUT": "dez"}, "SEFAZ_TIMEOUT deve ser um número"),
        ({"SEFAZ_TIMEOUT": "0"}, "SEFAZ_TIMEOUT deve ser maior que zero"),
        ({"SEFAZ_TIMEOUT": "inf"}, "SEFAZ_TIMEOUT"),
        ({"SEFAZ_CACHE_SECONDS": "1.5"}, "SEFAZ_CACHE_SECONDS deve ser um número inteiro"),
        ({"SEFAZ_BACKOFF_SECONDS": "-1"}, "SEFAZ_BACKOFF_SECONDS deve ser um inteiro >= 0"),
        ({"SEFAZ_ENDPOINTS": "SP"}, "item 'SP' inválido"),
        ({"SEFAZ_ENDPOINTS": "XX=https://x.example"}, "UF inválida 'XX'"),
        ({"SEFAZ_ENDPOINTS": "SP=https://a.example,sp=https://b.example"}, "UF SP repetida"),
        ({"SEFAZ_ENDPOINTS": "SP=http://sp.example"}, "https://"),
        ({"SEFAZ_CADASTRO_URL": "ftp://sefaz.example"}, "SEFAZ_CADASTRO_URL"),
        ({"SEFAZ_CERT_PATH": "/cert.pem"}, "devem ser informados juntos"),
        (
            {"SEFAZ_PFX_PATH": "/a1.pfx", "SEFAZ_CERT_PATH": "/c.pem", "SEFAZ_KEY_PATH": "/k"},
            "não os dois",
        ),
    ],
)
def test_from_mapping_rejects_bad_values_with_the_key_name(pt_br, values, message):
    with pytest.raises(ValueError, match=message):
        SefazSettings.from_mapping(values)


def test_endpoints_accept_a_mapping_from_app_config():
    settings = SefazSettings.from_mapping({"SEFAZ_ENDPOINTS": {"ba": "https://ba.example/ws"}})
    assert settings.endpoint_overrides == {"BA": "https://ba.example/ws"}


def test_zero_disables_cache_and_backoff():
    settings = SefazSettings.from_mapping({"SEFAZ_CACHE_SECONDS": "0", "SEFAZ_BACKOFF_SECONDS": 0})
    assert (settings.cache_seconds, settings.backoff_seconds_after_656) == (0, 0)


def test_the_app_reads_every_sefaz_key_through_setting_with_one_default(app):
    from portal.config import SETTINGS
    from portal.sefaz import service
    from portal.sefaz.settings import SETTING_NAMES

    assert set(SETTING_NAMES) <= set(SETTINGS)  # setting() would refuse an undeclared key
    assert service.settings_for(app).environment == "producao"  # README: default producao
    app.config["SEFAZ_ENVIRONMENT"] = "Homologação"
    with app.app_context():
        assert service.settings_for().environment == "homologacao"
