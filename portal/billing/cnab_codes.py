"""CNAB 240 return codes: movements (what happened to a boleto) and their reasons.

The reasons are the banks' published wording (data shown as the bank wrote it, in
Portuguese, like a bank statement line): the FEBRABAN rejection table 01-99 as printed in
Caixa's "Leiaute de Arquivo Eletrônico Padrão CNAB 240 — Cobrança Bancária CAIXA SIGCB"
(description C047-A; Santander's "Layout Padrão 240" v2.5, note 40-A, has the same codes),
and the settlement/write-off origins of Santander's note 40-C.
"""

# Movement codes of the return file (C044 / note 40) and what they mean for a boleto.
REGISTERED = "registered"
PAID = "paid"
REJECTED = "rejected"
WRITTEN_OFF = "written_off"
OTHER = "other"

MOVEMENTS = {
    "02": (REGISTERED, "Entrada confirmada"),
    "03": (REJECTED, "Entrada rejeitada"),
    "06": (PAID, "Liquidação"),
    "09": (WRITTEN_OFF, "Baixa"),
    "17": (PAID, "Liquidação após baixa ou título não registrado"),
    "25": (WRITTEN_OFF, "Protestado e baixado"),
    "26": (OTHER, "Instrução rejeitada"),
    "28": (OTHER, "Débito de tarifas/custas"),
    "30": (OTHER, "Alteração de dados rejeitada"),
    "46": (PAID, "Liquidação on-line"),
}
# Movements whose reasons are rejections (table A); the others' are origins (table C).
REJECTION_MOVEMENTS = {"02", "03", "26", "30"}

REJECTIONS = {
    "01": "Código do Banco Inválido",
    "02": "Código do Registro Inválido",
    "03": "Código do Segmento Inválido",
    "04": "Código do Movimento não Permitido p/ Carteira",
    "05": "Código do Movimento Inválido",
    "06": "Tipo Número Inscrição Beneficiário Inválido",
    "07": "Agencia/Conta/DV Inválidos",
    "08": "Nosso Número Inválido",
    "09": "Nosso Número Duplicado",
    "10": "Carteira Inválida",
    "11": "Data de Geração Inválida",
    "12": "Tipo de Documento Inválido",
    "13": "Identif. Da Emissão do Boleto Inválida",
    "14": "Identif. Da Distribuição do Boleto Inválida",
    "15": "Características Cobrança Incompatíveis",
    "16": "Data de Vencimento Inválida",
    "17": "Data de Vencimento Anterior à Data de Emissão",
    "18": "Vencimento fora do prazo de operação",
    "19": "Título a Cargo de Bco Correspondentes c/ Vencto Inferior a XX Dias",
    "20": "Valor do Título Inválido",
    "21": "Espécie do Título Inválida",
    "22": "Espécie do Título Não Permitida para a Carteira",
    "23": "Aceite Inválido",
    "24": "Data da Emissão Inválida",
    "25": "Data da Emissão Posterior a Data de Entrada",
    "26": "Código de Juros de Mora Inválido",
    "27": "Valor/Taxa de Juros de Mora Inválido",
    "28": "Código do Desconto Inválido",
    "29": "Valor do Desconto Maior ou Igual ao Valor do Título",
    "30": "Desconto a Conceder Não Confere",
    "31": "Concessão de Desconto - Já Existe Desconto Anterior",
    "32": "Valor do IOF Inválido",
    "33": "Valor do Abatimento Inválido",
    "34": "Valor do Abatimento Maior ou Igual ao Valor do Título",
    "35": "Valor Abatimento a Conceder Não Confere",
    "36": "Concessão de Abatimento - Já Existe Abatimento Anterior",
    "37": "Código para Protesto Inválido",
    "38": "Prazo para Protesto Inválido",
    "39": "Pedido de Protesto Não Permitido para o Título",
    "40": "Título com Ordem de Protesto Emitida",
    "41": "Pedido Cancelamento/Sustação p/ Títulos sem Instrução Protesto",
    "42": "Código para Baixa/Devolução Inválido",
    "43": "Prazo para Baixa/Devolução Inválido",
    "44": "Código da Moeda Inválido",
    "45": "Nome do Pagador Não Informado",
    "46": "Tipo/Número de Inscrição do Pagador Inválidos",
    "47": "Endereço do Pagador Não Informado",
    "48": "CEP Inválido",
    "49": "CEP Sem Praça de Cobrança (Não Localizado)",
    "50": "CEP Referente a um Banco Correspondente",
    "51": "CEP incompatível com a Unidade da Federação",
    "52": "Unidade da Federação Inválida",
    "53": "Tipo/Número de Inscrição do Sacador/Avalista Inválidos",
    "54": "Sacador/Avalista Não Informado",
    "55": "Nosso número no Banco Correspondente Não Informado",
    "56": "Código do Banco Correspondente Não Informado",
    "57": "Código da Multa Inválido",
    "58": "Data da Multa Inválida",
    "59": "Valor/Percentual da Multa Inválido",
    "60": "Movimento para Título Não Cadastrado",
    "61": "Alteração da Agência Cobradora/DV Inválida",
    "62": "Tipo de Impressão Inválido",
    "63": "Entrada para Título já Cadastrado",
    "64": "Entrada Inválida para Cobrança Caucionada",
    "65": "CEP do Pagador não encontrado",
    "66": "Agencia Cobradora não encontrada",
    "67": "Agencia Beneficiário não encontrada",
    "68": "Movimentação inválida para título",
    "69": "Alteração de dados inválida",
    "70": "Apelido do cliente não cadastrado",
    "71": "Erro na composição do arquivo",
    "72": "Lote de serviço inválido",
    "73": "Código do Beneficiário inválido",
    "74": "Beneficiário não pertencente a Cobrança Eletrônica",
    "75": "Nome da Empresa inválido",
    "76": "Nome do Banco inválido",
    "77": "Código da Remessa inválido",
    "78": "Data/Hora Geração do arquivo inválida",
    "79": "Número Sequencial do arquivo inválido",
    "80": "Versão do Lay out do arquivo inválido",
    "81": "Literal REMESSA-TESTE - Válido só p/ fase testes",
    "82": "Literal REMESSA-TESTE - Obrigatório p/ fase testes",
    "83": "Tp Número Inscrição Empresa inválido",
    "84": "Tipo de Operação inválido",
    "85": "Tipo de serviço inválido",
    "86": "Forma de lançamento inválido",
    "87": "Número da remessa inválido",
    "88": "Número da remessa menor/igual remessa anterior",
    "89": "Lote de serviço divergente",
    "90": "Número sequencial do registro inválido",
    "91": "Erro seq de segmento do registro detalhe",
    "92": "Cod movto divergente entre grupo de segm",
    "93": "Qtde registros no lote inválido",
    "94": "Qtde registros no lote divergente",
    "95": "Qtde lotes no arquivo inválido",
    "96": "Qtde lotes no arquivo divergente",
    "97": "Qtde registros no arquivo inválido",
    "98": "Qtde registros no arquivo divergente",
    "99": "Código de DDD inválido",
}

SETTLEMENT_ORIGINS = {
    "01": "Por saldo",
    "02": "Por conta",
    "03": "No próprio banco",
    "04": "Compensação eletrônica",
    "05": "Compensação convencional",
    "06": "Arquivo magnético",
    "07": "Após feriado local",
    "08": "Em cartório",
    "09": "Comandada banco",
    "10": "Comandada cliente arquivo",
    "11": "Comandada cliente on-line",
    "12": "Decurso prazo – cliente",
    "13": "Decurso prazo – banco",
}


def reason_text(movement: str, code: str) -> str:
    table = REJECTIONS if movement in REJECTION_MOVEMENTS else SETTLEMENT_ORIGINS
    return table.get(code, f"Código {code}")
