"""The Sefaz consultation speaks the app's language: English with BABEL_DEFAULT_LOCALE=en,
while what Sefaz itself sends (codes, xMotivo) stays as received."""

import html

import pytest

from portal.sefaz import SefazRefused, Verdict
from portal.sefaz.settings import SefazSettings

CONSULT = "/admin/sefaz/consultar"


@pytest.mark.config(BABEL_DEFAULT_LOCALE="en")
def test_consult_button_problems_in_english(admin_http):
    answer = admin_http.post(CONSULT, data={"document": "", "sefaz_uf": "SP"})
    assert "Type the CPF/CNPJ to consult Sefaz." in answer.text
    assert "Digite o CPF/CNPJ" not in answer.text
    answer = admin_http.post(CONSULT, data={"document": "111.444.777-35", "sefaz_uf": "SP"})
    text = html.unescape(answer.text)
    assert "Sefaz consultation not configured: set the shop's digital certificate" in text
    assert "não configurada" not in text


@pytest.mark.config(BABEL_DEFAULT_LOCALE="en")
def test_settings_errors_and_recheck_in_english(app):
    with app.app_context():
        with pytest.raises(ValueError, match="SEFAZ_TIMEOUT must be a number"):
            SefazSettings.from_mapping({"SEFAZ_TIMEOUT": "dez"})
        assert Verdict.NAO_CADASTRADO.label == "Not registered as a taxpayer in the UF"
        refused = SefazRefused(999, "Rejeição: Erro não catalogado")
        assert (
            refused.reason == "Sefaz refused the consultation (999): Rejeição: Erro não catalogado"
        )
    result = app.test_cli_runner().invoke(args=["clientela", "sefaz", "recheck"])
    assert result.exit_code == 2
    assert "Sefaz consultation not configured" in result.output


def test_situation_labels_are_portuguese_by_default(app):
    with app.app_context():
        assert Verdict.HABILITADO.label == "Habilitado"
        assert Verdict.NAO_CADASTRADO.label == "Não cadastrado como contribuinte na UF"
