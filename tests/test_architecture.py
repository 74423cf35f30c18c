"""The house rules of docs/architecture.md, checked on the source: layer contracts
(import-linter), no import cycle, no private name across a subpackage, small modules and
functions. Each rule is shown to fail on a planted violation, so none of these can pass vacuously.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "src" / "shuangsuiji"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60
MAX_TOP_LEVEL_MODULES = 6


def _modules(pkg: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package (``__init__`` as the
    package's own name)."""
    out = {}
    for path in sorted(pkg.rglob("*.py")):
        parts = list(path.relative_to(pkg.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, known: set[str]) -> Iterator[tuple[str, str, ast.AST]]:
    """(imported module, imported name or "", node) for every import anywhere in the file,
    inside functions and ``if TYPE_CHECKING:`` blocks too, resolved to modules in ``known``."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    yield alias.name, "", node
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")
                up = up[: len(up) - (node.level - 1)]
                base = ".".join([*up, base] if base else up)
            if base not in known:
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                yield (sub, "", node) if sub in known else (base, alias.name, node)


def _graph(pkg: Path) -> dict[str, set[str]]:
    mods = _modules(pkg)
    known = set(mods)
    return {m: {t for t, _, _ in _imports(m, p, known) if t != m} for m, p in mods.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan 1972), iteratively."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on.add(start)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph.get(w, ())))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def _stage(module: str) -> str:
    """The subpackage (stage) a module belongs to: the second dotted component."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _private_crossings(pkg: Path) -> list[str]:
    """``from <module of another stage> import _name``, and ``alias._name`` where ``alias`` is a
    module of another stage."""
    mods = _modules(pkg)
    known = set(mods)
    found = []
    for name, path in mods.items():
        module_aliases: dict[str, str] = {}
        for target, imported, node in _imports(name, path, known):
            if _stage(target) == _stage(name):
                continue
            if imported.startswith("_") and not imported.startswith("__"):
                found.append(f"{name} imports {target}.{imported}")
            if not imported and isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    local = alias.asname or alias.name.split(".")[-1]
                    module_aliases[local] = target
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in module_aliases
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                found.append(f"{name} uses {module_aliases[node.value.id]}.{node.attr}")
    return found


def _oversized(pkg: Path) -> list[str]:
    found = []
    for name, path in _modules(pkg).items():
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > MAX_MODULE_LINES:
            found.append(f"{name}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    found.append(f"{name}.{node.name}: {n} lines")
    return found


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    """A copy of the package (and pyproject.toml) to plant violations in."""
    shutil.copytree(PKG, tmp_path / "src" / "shuangsuiji")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "lint-imports"
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run(
        [str(exe), "--no-cache"],
        check=False,
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_layer_contracts_hold() -> None:
    done = _lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_a_back_edge_breaks_the_layer_contract(copy: Path) -> None:
    columns = copy / "src" / "shuangsuiji" / "registry" / "columns.py"
    columns.write_text(columns.read_text() + "\nfrom ..campaign import state  # noqa\n")
    done = _lint_imports(copy)
    assert done.returncode != 0 and "BROKEN" in done.stdout, done.stdout
    assert "shuangsuiji.registry.columns -> shuangsuiji.campaign.state" in done.stdout


def test_no_import_cycle() -> None:
    assert _cycles(_graph(PKG)) == []


def test_a_cycle_inside_a_function_is_found(copy: Path) -> None:
    pkg = copy / "src" / "shuangsuiji"
    seed = pkg / "randomness" / "seed.py"
    seed.write_text(seed.read_text() + "\n\ndef _late():\n    from . import declared  # noqa\n")
    assert ["shuangsuiji.randomness.declared", "shuangsuiji.randomness.seed"] in _cycles(
        _graph(pkg)
    )


def test_no_private_name_crosses_a_subpackage() -> None:
    assert _private_crossings(PKG) == []


def test_a_private_crossing_is_found(copy: Path) -> None:
    pkg = copy / "src" / "shuangsuiji"
    notice = pkg / "sampling" / "units.py"
    notice.write_text(notice.read_text() + "\nfrom ..registry.columns import _INT64_MIN  # noqa\n")
    assert _private_crossings(pkg) == [
        "shuangsuiji.sampling.units imports shuangsuiji.registry.columns._INT64_MIN"
    ]


def test_modules_and_functions_are_small() -> None:
    assert _oversized(PKG) == []
    top = [p.name for p in PKG.glob("*.py")]
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top


def test_a_long_function_is_found(copy: Path) -> None:
    pkg = copy / "src" / "shuangsuiji"
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES))
    (pkg / "_util" / "long.py").write_text(f"def f():\n{body}")
    assert f"shuangsuiji._util.long.f: {MAX_FUNCTION_LINES + 1} lines" in _oversized(pkg)
