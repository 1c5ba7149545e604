"""Declarative JSON shapes: one definition parses request bodies and writes the OpenAPI schema.

A shape only checks *form* (types, lengths, required keys); the domain rules (CPF, money,
addresses) stay in the services, so the API and the forms share one rule set. Every problem
becomes a DomainError whose `field` is a JSON pointer ("/items/0/quantity").
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from portal.errors import ErrorCollector


def _where(path: str) -> str:
    return path or "/"


class Shape:
    nullable = False
    description: str | None = None

    def schema(self) -> dict:
        raise NotImplementedError

    def json_schema(self) -> dict:
        schema = self.schema()
        if self.nullable:
            kind = schema.get("type")
            if isinstance(kind, str):
                schema["type"] = [kind, "null"]
            elif isinstance(kind, list):
                schema["type"] = [*kind, "null"]
            else:
                schema = {"anyOf": [schema, {"type": "null"}]}
        if self.description:
            schema["description"] = self.description
        return schema

    def parse(self, value: Any, path: str, errors: ErrorCollector) -> Any:
        if value is None:
            if not self.nullable:
                errors.add("Este campo não pode ser nulo.", _where(path))
            return None
        return self.check(value, path, errors)

    def check(self, value, path, errors):  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass
class Str(Shape):
    max_length: int = 255
    min_length: int = 0
    nullable: bool = True
    enum: tuple[str, ...] | None = None
    format: str | None = None
    pattern: str | None = None
    description: str | None = None

    def schema(self) -> dict:
        schema: dict = {"type": "string", "maxLength": self.max_length}
        if self.min_length:
            schema["minLength"] = self.min_length
        if self.enum:
            schema["enum"] = list(self.enum)
        if self.format:
            schema["format"] = self.format
        if self.pattern:
            schema["pattern"] = self.pattern
        return schema

    def check(self, value, path, errors):
        if not isinstance(value, str):
            errors.add("Envie um texto (string JSON).", _where(path))
            return None
        if len(value) > self.max_length or len(value) < self.min_length:
            errors.add(f"Use de {self.min_length} a {self.max_length} caracteres.", _where(path))
            return None
        if self.enum and value not in self.enum:
            errors.add(f"Use um destes valores: {', '.join(self.enum)}.", _where(path))
            return None
        if self.pattern and not re.search(self.pattern, value):
            errors.add("Formato inválido para este campo.", _where(path))
            return None
        if self.format == "date":
            try:
                return date.fromisoformat(value) if len(value) == 10 else _bad_date()
            except ValueError:
                errors.add("Data inválida: use o formato AAAA-MM-DD.", _where(path))
                return None
        return value


def _bad_date():
    raise ValueError("not YYYY-MM-DD")


@dataclass
class Int(Shape):
    minimum: int | None = 1
    maximum: int | None = 2_147_483_647
    nullable: bool = True
    description: str | None = None

    def schema(self) -> dict:
        schema: dict = {"type": "integer"}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return schema

    def check(self, value, path, errors):
        if isinstance(value, bool) or not isinstance(value, int):
            errors.add("Envie um número inteiro.", _where(path))
            return None
        if (self.minimum is not None and value < self.minimum) or (
            self.maximum is not None and value > self.maximum
        ):
            errors.add(f"Use um número de {self.minimum} a {self.maximum}.", _where(path))
            return None
        return value


@dataclass
class Bool(Shape):
    nullable: bool = False
    description: str | None = None

    def schema(self) -> dict:
        return {"type": "boolean"}

    def check(self, value, path, errors):
        if not isinstance(value, bool):
            errors.add("Envie true ou false.", _where(path))
            return None
        return value


@dataclass
class Decimal_(Shape):
    """Exact decimals: a string ("12.34") or a JSON number (read as Decimal, never float).

    Only the plain form is accepted here (no "1.234,56"): a program must not be guessed at.
    """

    nullable: bool = True
    description: str | None = None
    PATTERN = r"^-?\d{1,15}(\.\d{1,6})?$"

    def schema(self) -> dict:
        return {
            "type": ["string", "number"],
            "pattern": self.PATTERN,
            "examples": ["12.34"],
        }

    def check(self, value, path, errors):
        text = (
            str(value) if isinstance(value, int | Decimal) and not isinstance(value, bool) else None
        )
        if isinstance(value, str):
            text = value.strip()
        if text is None or not re.match(self.PATTERN, text):
            errors.add(
                'Envie um número decimal com ponto, como "12.34" (até 6 casas).', _where(path)
            )
            return None
        return Decimal(text)


@dataclass
class Array(Shape):
    item: Shape
    max_items: int = 100
    min_items: int = 0
    nullable: bool = False
    description: str | None = None
    noun: str = "itens"  # what the count message counts ("pedidos por lote")

    def schema(self) -> dict:
        schema = {"type": "array", "items": self.item.json_schema(), "maxItems": self.max_items}
        if self.min_items:
            schema["minItems"] = self.min_items
        return schema

    def check(self, value, path, errors):
        if not isinstance(value, list):
            errors.add("Envie uma lista (array JSON).", _where(path))
            return None
        if not self.min_items <= len(value) <= self.max_items:
            errors.add(f"Envie de {self.min_items} a {self.max_items} {self.noun}.", _where(path))
            return None
        return [self.item.parse(v, f"{path}/{i}", errors) for i, v in enumerate(value)]


@dataclass
class Ref(Shape):
    """A named object, emitted once under components/schemas."""

    name: str
    obj: "Obj"
    nullable: bool = False
    description: str | None = None

    def schema(self) -> dict:
        return {"$ref": f"#/components/schemas/{self.name}"}

    def json_schema(self) -> dict:
        if self.nullable:
            return {"anyOf": [self.schema(), {"type": "null"}]}
        return self.schema()

    def check(self, value, path, errors):
        return self.obj.check(value, path, errors)

    def load(self, value) -> dict:
        return self.obj.load(value)


@dataclass
class Obj(Shape):
    fields: dict[str, Shape]
    required: tuple[str, ...] = ()
    extra_allowed: bool = False
    nullable: bool = False
    description: str | None = None
    refs: list = field(default_factory=list)

    def schema(self) -> dict:
        schema: dict = {
            "type": "object",
            "properties": {name: shape.json_schema() for name, shape in self.fields.items()},
            "additionalProperties": self.extra_allowed,
        }
        if self.required:
            schema["required"] = list(self.required)
        return schema

    def check(self, value, path, errors) -> dict | None:
        if not isinstance(value, dict):
            errors.add("Envie um objeto JSON.", _where(path))
            return None
        result = {}
        for name in self.required:
            if name not in value:
                errors.add("Campo obrigatório.", f"{path}/{name}")
        for name, raw in value.items():
            shape = self.fields.get(name)
            if shape is None:
                if not self.extra_allowed:
                    errors.add("Campo desconhecido: confira o nome.", f"{path}/{name}")
                continue
            result[name] = shape.parse(raw, f"{path}/{name}", errors)
        return result

    def load(self, value) -> dict:
        """Parse a whole body; raises InvalidInput listing every problem."""
        errors = ErrorCollector()
        result = self.check(value, "", errors)
        errors.raise_if_any()
        return result or {}


class Query(Obj):
    """Query-string parameters: values arrive as text and are converted per shape."""

    def load_args(self, args) -> dict:
        errors = ErrorCollector()
        result = {}
        for name in args:
            if name not in self.fields:
                continue  # unknown parameters are ignored, as browsers and proxies add some
            raw = args.get(name, "")
            shape = self.fields[name]
            if isinstance(shape, Int):
                value = int(raw) if raw.strip().lstrip("-").isdigit() and len(raw) < 12 else raw
                result[name] = shape.parse(value, f"?{name}", errors) if raw.strip() else None
            elif isinstance(shape, Bool):
                value = {"true": True, "1": True, "false": False, "0": False}.get(raw.lower(), raw)
                result[name] = shape.parse(value, f"?{name}", errors) if raw.strip() else None
            else:
                result[name] = shape.parse(raw, f"?{name}", errors)
        errors.raise_if_any()
        return result
