import dataclasses
import json

import pytest
from click.testing import CliRunner

from portal.sefaz import SefazSettings
from portal.sefaz.cli import make_sefaz_group

from .scenarios import DOCUMENTS


def _run(settings_factory, *args: str):
    result = CliRunner().invoke(make_sefaz_group(settings_factory), ["consult", *args])
    return result, json.loads(result.stdout)


def test_consult_prints_the_answer_as_json(sefaz_settings):
    result, data = _run(lambda: sefaz_settings, "--uf", "SP", "--cnpj", "11222333000181")
    assert result.exit_code == 0
    assert {"cStat", "xMotivo", "situacao", "razao_social", "ie", "uf"} <= data.keys()
    assert data["situacao"] == "habilitado"
    assert data["ie"] == "110042490114"
    assert "Consulta cadastro com uma ocorrência" in result.stdout  # ensure_ascii=False


def test_not_registered_is_an_answer(sefaz_settings):
    result, data = _run(lambda: sefaz_settings, "--uf", "SP", "--cnpj", DOCUMENTS["amostra_259"])
    assert (result.exit_code, data["cStat"], data["situacao"]) == (0, 259, "nao_cadastrado")


@pytest.mark.parametrize(
    ("document", "exit_code", "erro"),
    [
        (DOCUMENTS["lento"], 2, "tempo_esgotado"),
        (DOCUMENTS["consumo_indevido"], 2, "consumo_indevido"),
        (DOCUMENTS["erro_999"], 1, "recusada"),
        ("11222333000100", 1, "documento_invalido"),
    ],
)
def test_failures_exit_codes(sefaz_settings, document, exit_code, erro):
    settings = dataclasses.replace(sefaz_settings, timeout=0.5)
    result, data = _run(lambda: settings, "--uf", "SP", "--cnpj", document)
    assert (result.exit_code, data["erro"], data["situacao"]) == (exit_code, erro, "nao_verificado")
    assert data["motivo"] in result.stderr


def test_missing_or_invalid_settings_exit_2():
    result, data = _run(SefazSettings, "--uf", "SP", "--cpf", "52998224725")
    assert (result.exit_code, data["erro"]) == (2, "nao_configurado")

    def broken() -> SefazSettings:
        return SefazSettings.from_mapping({"SEFAZ_TIMEOUT": "dez"})

    result, data = _run(broken, "--uf", "SP", "--cpf", "52998224725")
    assert result.exit_code == 2
    assert "SEFAZ_TIMEOUT" in data["motivo"]
