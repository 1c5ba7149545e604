"""The import rules of pyproject.toml ([tool.importlinter]) hold, and no module is in a cycle.

`make test` runs these first-class: a broken contract fails the suite with lint-imports'
own explanation (which import, on which line).
"""

import ast
import os
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAINS = (
    "billing",
    "clients",
    "documents",
    "lookups",
    "orders",
    "sefaz",
    "staff",
    "security",
    "visits",
)
# Flask names that tie code to a request or to the web layer.
WEB_NAMES = {"request", "g", "session", "Blueprint", "flash", "redirect", "render_template"}
# Documents are the one domain whose product is a rendered template (a host may override it);
# rendering needs an app context, never a request. Billing renders the boleto PDF likewise.
ALLOWED = {"documents": {"render_template"}, "billing": {"render_template"}}


def test_import_linter_contracts_hold():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    result = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        report = result.stdout.split("Contracts\n---------", 1)[-1]
        pytest.fail(f"import-linter contracts broken:\n{report}{result.stderr}", pytrace=False)


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child))))
                    )
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_no_module_is_in_an_import_cycle():
    """Across portal (portal.admin included), imports inside functions and under TYPE_CHECKING."""
    sys.path.insert(0, str(ROOT))
    try:
        graph = grimp.build_graph("portal", cache_dir=None)
    finally:
        sys.path.remove(str(ROOT))
    assert _cycles(graph) == []


def test_domain_code_needs_no_request_or_environment():
    offenders = []
    for domain in DOMAINS:
        forbidden = WEB_NAMES - ALLOWED.get(domain, set())
        for path in sorted((ROOT / "portal" / domain).rglob("*.py")):
            tree = ast.parse(path.read_text("utf-8"))
            for node in ast.walk(tree):
                where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
                if isinstance(node, ast.ImportFrom) and node.module == "flask":
                    names = {alias.name for alias in node.names} & forbidden
                    offenders += [f"{where} imports flask.{name}" for name in sorted(names)]
                if (
                    isinstance(node, ast.Attribute)
                    and node.attr == "environ"
                    and isinstance(node.value, ast.Name)
                    and node.value.id == "os"
                ):
                    offenders.append(f"{where} reads os.environ")
    assert offenders == []
