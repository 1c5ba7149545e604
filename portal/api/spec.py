"""The API's operations, declared once: the dispatcher routes them, OpenAPI 3.1 describes them."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from portal.api.shapes import Array, Bool, Int, Obj, Query, Ref, Shape, Str

ERROR_STATUSES = {
    400: "Corpo que não é JSON válido.",
    401: "Chave de API ausente, inválida ou revogada.",
    404: "O recurso não existe (ou não é visível para esta chave).",
    409: "Conflito: editado por outra requisição, ou `Idempotency-Key` ainda em uso.",
    413: "Corpo grande demais.",
    415: "Envie `Content-Type: application/json`.",
    422: "Dados inválidos: `errors[]` aponta cada campo.",
}


@dataclass
class Reply:
    body: Any
    status: int = 200
    location: str | None = None


@dataclass
class Call:
    """What a handler receives: parsed path values, query and body, and who is calling."""

    path: dict
    query: dict
    body: dict
    api_key: Any


@dataclass
class Operation:
    method: str
    rule: str  # Flask rule, e.g. /clients/<int:client_id>
    name: str
    handler: Callable[[Call], Reply]
    summary: str
    tag: str
    body: Obj | None = None
    query: Query | None = None
    response: Shape | None = None
    status: int = 200
    extra_statuses: tuple[int, ...] = ()  # other 2xx answers (upsert: 200 or 201)
    errors: tuple[int, ...] = (401, 404, 422)
    idempotent: bool = False


@dataclass
class Registry:
    operations: list[Operation] = field(default_factory=list)
    components: dict[str, Obj] = field(default_factory=dict)

    def add(self, *operations: Operation) -> None:
        self.operations.extend(operations)

    def component(self, name: str, obj: Obj, nullable: bool = False) -> Ref:
        self.components[name] = obj
        return Ref(name=name, obj=obj, nullable=nullable)


PROBLEM = Obj(
    {
        "type": Str(max_length=300, nullable=False),
        "title": Str(max_length=300, nullable=False),
        "status": Int(minimum=100, maximum=599, nullable=False),
        "detail": Str(max_length=2000, nullable=False),
        "errors": Array(
            Obj(
                {
                    "field": Str(max_length=300, nullable=False),
                    "code": Str(max_length=60, nullable=False),
                    "message": Str(max_length=2000, nullable=False),
                },
                required=("field", "code", "message"),
            ),
            max_items=1000,
        ),
    },
    required=("type", "title", "status", "detail"),
)
_PATH_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def openapi_path(rule: str) -> str:
    return _PATH_PARAM.sub(lambda m: "{" + m.group(2) + "}", rule)


def _parameters(op: Operation) -> list[dict]:
    params = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": 2_147_483_647}
            if conv == "int"
            else {"type": "string", "minLength": 1, "maxLength": 300},
        }
        for conv, name in _PATH_PARAM.findall(op.rule)
    ]
    if op.query:
        params += [
            {"name": name, "in": "query", "required": False, "schema": shape.json_schema()}
            for name, shape in op.query.fields.items()
        ]
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
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }


def document(registry: Registry, server_url: str) -> dict:
    paths: dict[str, dict] = {}
    for op in registry.operations:
        responses: dict[str, Any] = {}
        for status in (op.status, *op.extra_statuses):
            responses[str(status)] = {"description": op.summary}
            if op.response is not None:
                responses[str(status)]["content"] = {
                    "application/json": {"schema": op.response.json_schema()}
                }
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
                "content": {"application/json": {"schema": op.body.json_schema()}},
            }
        paths.setdefault(openapi_path(op.rule), {})[op.method.lower()] = operation
    schemas = {name: obj.json_schema() for name, obj in registry.components.items()}
    schemas["Problem"] = PROBLEM.json_schema()
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Clientela API",
            "version": "1",
            "description": "Clientes e pedidos da loja. Autentique com "
            "`Authorization: Bearer <chave>`; erros em `application/problem+json` (RFC 9457).",
        },
        "servers": [{"url": server_url}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


__all__ = ["Array", "Bool", "Call", "Int", "Obj", "Operation", "Query", "Registry", "Reply", "Str"]
