"""A stage of the null pipeline (`make bench`): it writes each of its outputs with a digest of
its file dependencies and of the params it reads, and nothing else, so that it re-runs when
the real stage would and its outputs change when the real ones would (params.yaml as a file
dependency, validate's, is left out: the real verdict does not change while params are valid),
at the cost of one small process.

    python benchmarks/null_stage.py --deps <path>... --params <key>... --outs <path>...

An output that is a folder in dvc.yaml gets one file, `null`, inside it. Only PyYAML besides
the standard library: the yardstick is DVC's own cost, so this must cost next to nothing.
"""

import hashlib
import os
import sys
from pathlib import Path


def digest(paths: list[str], keys: list[str]) -> str:
    h = hashlib.sha256()
    if keys:
        import yaml

        doc = yaml.load(Path("params.yaml").read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        for key in keys:
            value = doc
            for part in key.split("."):
                value = value[part]
            h.update(f"{key}={value!r}".encode())
    for name in paths:
        if name == "params.yaml":
            continue
        path = Path(name)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            h.update(f.as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def main(argv: list[str]) -> None:
    at = {flag: argv.index(flag) for flag in ("--deps", "--params", "--outs")}
    deps = argv[at["--deps"] + 1 : at["--params"]]
    keys = argv[at["--params"] + 1 : at["--outs"]]
    outs = argv[at["--outs"] + 1 :]
    text = digest(deps, keys) + "\n"
    for out in outs:
        path = Path(out)
        if not path.suffix:  # a folder output
            path.mkdir(parents=True, exist_ok=True)
            path = path / "null"
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(text)
        os.replace(tmp, path)


if __name__ == "__main__":
    main(sys.argv[1:])
