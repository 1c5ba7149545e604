"""README's "Mounting in a shop" works as written, against Clientela installed from the wheel."""

import re
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.xdist_group("wheel")  # shares the wheel's venv with test_wheel.py

README = Path(__file__).resolve().parents[2] / "README.md"
CHECK = """
python - <<'PY'
from shop import create_shop
http = create_shop().test_client()
page = http.get("/backoffice/clientes/login")
assert page.status_code == 200, page.status_code
token = page.text.split('name="csrf_token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
done = http.post(
    "/backoffice/clientes/login",
    data={"email": "equipe@loja.example", "password": "senha-forte-123", "csrf_token": token},
)
assert done.headers["Location"] == "/backoffice/clientes/clientes", done.status_code
print("README shop OK")
PY
"""


def _blocks(language: str) -> list[str]:
    section = README.read_text().split("## Mounting in a shop", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", section, re.S)


def test_the_readme_shop_works_as_written(wheel_venv, tmp_path):
    (python_block,) = _blocks("python")
    (shell_block,) = _blocks("sh")
    (tmp_path / "shop.py").write_text(python_block)
    # `flask` and `python` of the venv that holds the wheel.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, command in (("python", ""), ("flask", "-m flask ")):
        shim = bin_dir / name
        shim.write_text(f'#!/bin/sh\nexec {wheel_venv.python} {command}"$@"\n')
        shim.chmod(0o755)
    # Every line as written, except `flask run` (a server): a test client takes its place.
    script = "set -e\n" + "\n".join(
        line for line in shell_block.splitlines() if not re.search(r"\brun\b", line)
    )
    result = subprocess.run(
        ["bash", "-c", script + CHECK],
        cwd=tmp_path,
        env={**wheel_venv.env, "PATH": f"{bin_dir}:/usr/bin:/bin"},
        input="senha-forte-123\nsenha-forte-123\n",  # create-staff's password prompt
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Usuário da equipe criado: equipe@loja.example" in result.stdout
    assert "README shop OK" in result.stdout
