"""The API's operations, declared once: the dispatcher routes them, OpenAPI 3.1 describes them.

Bodies, queries and answers are pydantic models (`portal.api.schemas`); their JSON Schema
goes under `components/schemas`, one entry per model.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from portal.api.problems import ProblemDocument

REF = "#/components/schemas/{model}"
ERROR_STATUSES = {
    400: "Corpo que não é JSON válido.",
    401: "Chave de API ausente, inválida ou revogada.",
    404: "O recurso não existe (ou não é visível para esta chave).",
    409: "Conflito: editado por outra requisição (`version`), ou `Idempotency-Key` ainda em uso.",
    413: "Corpo grande demais.",
    415: "Envie `Content-Type: application/json`.",
    422: "Dados inválidos: `errors[]` aponta cada campo.",
}
VERSION_RULE = (
    "Edições (PATCH, mudança de situação) aceitam `version`: enviada, precisa ser a versão "
    "atual, senão 409; sem ela, a alteração vale sobre o que estiver gravado (a última "
    "gravação vence)."
)


@dataclass
class Reply:
    body: BaseModel
    status: int = 200
    location: str | None = None


@dataclass
class Call:
    """What a handler receives: parsed path values, query and body, and who is calling."""

    path: dict
    query: Any
    body: Any
    api_key: Any


@dataclass
class Operation:
    method: str
    rule: str  # Flask rule, e.g. /clients/<clientela_id:client_id>
    name: str
    handler: Callable[[Call], Reply]
    summary: str
    tag: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    extra_statuses: tuple[int, ...] = ()  # other 2xx answers (upsert: 200 or 201)
    errors: tuple[int, ...] = (401, 404, 422)
    idempotent: bool = False


@dataclass
class Registry:
    operations: list[Operation] = field(default_factory=list)

    def add(self, *operations: Operation) -> None:
        self.operations.extend(operations)


_PATH_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def openapi_path(rule: str) -> str:
    return _PATH_PARAM.sub(lambda m: "{" + m.group(2) + "}", rule)


def _not_null(schema: dict) -> dict:
    """A query parameter is absent or a value: `X | None` is documented as X."""
    options = [s for s in schema.get("anyOf", []) if s.get("type") != "null"]
    if len(options) == 1:
        rest = {k: v for k, v in schema.items() if k not in ("anyOf", "default")}
        return {**options[0], **rest}
    return {k: v for k, v in schema.items() if k != "default"}


def _parameters(op: Operation) -> list[dict]:
    params = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": 2_147_483_647}
            if conv in ("int", "clientela_id")
            else {"type": "string", "minLength": 1, "maxLength": 300},
        }
        for conv, name in _PATH_PARAM.findall(op.rule)
    ]
    if op.query:
        schema = op.query.model_json_schema(ref_template=REF)
        for name, prop in schema["properties"].items():
            prop = _not_null(prop)
            prop.pop("title", None)
            described = {"description": prop.pop("description")} if "description" in prop else {}
            params.append(
                {"name": name, "in": "query", "required": False, **described, "schema": prop}
            )
    if op.idempotent:
        params.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "Repetir a mesma requisição com a mesma chave (por 24 h) "
                "devolve a primeira resposta, sem criar outro registro.",
                "schema": {"type": "string", "minLength": 1, "maxLength": 255,
                           "pattern": "^[\\x21-\\x7e]+$"},
            }
        )  # fmt: skip
    return params


def _problem_response(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": REF.format(model="Problem")}}},
    }


def document(registry: Registry, server_url: str) -> dict:
    inputs = dict.fromkeys(op.body for op in registry.operations if op.body)
    outputs = dict.fromkeys([*(op.response for op in registry.operations if op.response),
                             ProblemDocument])  # fmt: skip
    refs, defs = models_json_schema(
        [(model, "validation") for model in inputs]
        + [(model, "serialization") for model in outputs],
        ref_template=REF,
    )
    schemas = defs.get("$defs", {})
    schemas["Problem"] = schemas.pop(ProblemDocument.__name__)
    paths: dict[str, dict] = {}
    for op in registry.operations:
        responses: dict[str, Any] = {}
        for status in (op.status, *op.extra_statuses):
            responses[str(status)] = {"description": op.summary}
            if op.response is not None:
                schema = refs[(op.response, "serialization")]
                responses[str(status)]["content"] = {"application/json": {"schema": schema}}
        for status in sorted({401, *op.errors, *((400, 413, 415) if op.body else ())}):
            responses[str(status)] = _problem_response(ERROR_STATUSES[status])
        operation: dict[str, Any] = {
            "operationId": op.name,
            "summary": op.summary,
            "tags": [op.tag],
            "parameters": _parameters(op),
            "responses": responses,
        }
        if op.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": refs[(op.body, "validation")]}},
            }
        paths.setdefault(openapi_path(op.rule), {})[op.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Clientela API",
            "version": "1",
            "description": "Clientes e pedidos da loja. Autentique com "
            "`Authorization: Bearer <chave>`; erros em `application/problem+json` (RFC 9457). "
            + VERSION_RULE,
        },
        "servers": [{"url": server_url}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
