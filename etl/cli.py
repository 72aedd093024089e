"""The ETL's command line: python -m etl
{build,load,validate,status,export,curate,backup,restore,report,users}.

Exit codes: 0 ok, 1 validation failed (nothing written), 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

import pandas as pd

import config
from etl import adapters, users
from etl.areas import default_resolver
from etl.batch import Batch, LoadError, ValidationFailed, WarningsNeedAcceptance, file_checksum
from etl.load import LoadReport, load
from store import queries
from store.db import writable_engine

log = logging.getLogger("etl")

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", default=argparse.SUPPRESS, help="database URL (default: the DATABASE_URL setting)"
    )
    common.add_argument(
        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="log more detail"
    )
    p = argparse.ArgumentParser(
        prog="python -m etl", description=__doc__.splitlines()[0], parents=[common]
    )
    p.set_defaults(db=None, verbose=False)
    sub = p.add_subparsers(dest="command", required=True)
    _add = sub.add_parser

    def add_parser(name: str, **kw):  # noqa: ANN202
        return _add(name, parents=[common], **kw)

    sub.add_parser = add_parser  # every subcommand takes --db and -v too

    b = sub.add_parser("build", help="build the embedded default dataset into the database")
    b.add_argument(
        "--boundaries",
        metavar="DIR",
        help="folder with the geokz shapefiles (default: INDICATORS_BOUNDARIES_DIR, else download)",
    )
    b.add_argument("--no-boundaries", action="store_true", help="skip boundaries")
    b.add_argument("--fresh", action="store_true", help="drop all tables first")
    b.add_argument(
        "--data",
        default=str(config.DATA_DIR),
        metavar="DIR",
        help="the curated data folder (default: the project's data/)",
    )

    for name, text in (
        ("load", "load source files or folders"),
        ("validate", "check source files or folders; write nothing"),
    ):
        s = sub.add_parser(name, help=text)
        s.add_argument("paths", nargs="+", metavar="PATH")
        s.add_argument(
            "--format",
            help="source format (default: detected); one of "
            + ", ".join(m.FORMAT for m in adapters.adapters()),
        )
        s.add_argument("--indicator", help="indicator code, for formats that need one")
        s.add_argument("--mapping", help="mapping file, for formats that use one")
        s.add_argument(
            "--source",
            help="source code to credit, for formats that take one (opensdg, bns-table)",
        )
        s.add_argument(
            "--country",
            help="opensdg: KZ = the repository reports for Kazakhstan although its "
            "configuration does not say so",
        )
        s.add_argument(
            "--accept-warnings",
            action="store_true",
            help="load although plausibility checks warned (errors still refuse the load)",
        )
        s.add_argument(
            "--parent",
            metavar="KATO",
            help="the oblast or city whose areas the file names (default: read from the file)",
        )

    sub.add_parser("status", help="what is loaded, from which sources, when")

    e = sub.add_parser("export", help="observations of one indicator and area to stdout")
    e.add_argument("--indicator", required=True)
    e.add_argument("--area", required=True, help="KATO code or area name")
    e.add_argument("--format", choices=("csv", "json"), default="csv")
    e.add_argument(
        "--source",
        default="preferred",
        help="preferred (one value a year), all (every source) or a source code",
    )

    rp = sub.add_parser(
        "report", help="area profiles as .docx or .pdf: one area, or every district of an oblast"
    )
    rp.add_argument(
        "--area", required=True, help="KATO code or name; an oblast gives all its districts"
    )
    rp.add_argument("--format", choices=("docx", "pdf"), default="docx")
    rp.add_argument("--lang", choices=("kk", "ru", "en"), default="kk")
    rp.add_argument("--year", type=int, help="values up to this year (default: all)")
    rp.add_argument("--out", default=".", metavar="DIR", help="folder for the files (default: .)")

    k = sub.add_parser(
        "backup", help="copy the database to a file (SQLite backup API; pg_dump on PostgreSQL)"
    )
    k.add_argument("path", metavar="PATH", help="the backup file to write (must not exist)")
    r = sub.add_parser("restore", help="replace the database with a backup made by `backup`")
    r.add_argument("path", metavar="PATH", help="the backup file to restore")

    c = sub.add_parser("curate", help="write a source file as a curated dataset under data/")
    c.add_argument("path")
    c.add_argument("--format")
    c.add_argument("--indicator")
    c.add_argument("--mapping")
    c.add_argument("--parent", metavar="KATO")
    c.add_argument("--out", required=True, help="dataset folder, e.g. data/curated/NAME")
    users.add_arguments(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse: 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(levelname)s %(message)s",
        stream=sys.stderr,
    )
    try:
        return COMMANDS[args.command](args)
    except BrokenPipeError:  # e.g. `python -m etl export ... | head`
        sys.stderr.close()
        return EXIT_OK
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except WarningsNeedAcceptance as exc:
        for err in exc.errors[:50]:
            print(f"warning: {err}", file=sys.stderr)
        if len(exc.errors) > 50:
            print(f"... and {len(exc.errors) - 50} more warnings", file=sys.stderr)
        print(
            f"{len(exc.errors)} plausibility warning(s); nothing was written. Check the figures, "
            "then load again with --accept-warnings to keep them",
            file=sys.stderr,
        )
        return EXIT_INVALID
    except ValidationFailed as exc:
        for err in exc.errors[:50]:
            print(f"error: {err}", file=sys.stderr)
        if len(exc.errors) > 50:
            print(f"... and {len(exc.errors) - 50} more errors", file=sys.stderr)
        print(
            f"validation failed: {len(exc.errors)} error(s); nothing was written", file=sys.stderr
        )
        return EXIT_INVALID


def read_path(path: Path, fmt: str | None, options: dict) -> Batch:
    """Read one path with the given or detected adapter."""
    if not path.exists():
        if path.is_symlink():
            try:
                path.stat()
            except OSError as exc:
                raise UsageError(
                    f"{path}: a symbolic link that cannot be followed ({exc.strerror})"
                ) from None
        raise UsageError(f"{path}: no such file or folder")
    if fmt:
        try:
            adapter = adapters.by_format(fmt)
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from None
    else:
        adapter = adapters.detect(path)
        if adapter is None:
            raise UsageError(f"{path}: cannot tell its format; give --format")
    try:
        batch = adapter.read(path, resolver=default_resolver(), options=options)
        batch.checksum = batch.checksum or file_checksum(path)
    except (ValidationFailed, UsageError):
        raise
    except Exception as exc:  # a file the adapter cannot read: one message, not a traceback
        log.debug("reading %s failed", path, exc_info=True)
        where = getattr(exc, "filename", None) or path
        text = getattr(exc, "strerror", None) or (str(exc).splitlines() or [""])[0]
        raise ValidationFailed(
            [
                LoadError(
                    str(where),
                    None,
                    None,
                    f"cannot be read as {adapter.FORMAT}: {type(exc).__name__}"
                    + (f": {text}" if text else ""),
                )
            ]
        ) from None
    if not batch.errors and _found_nothing(batch):
        raise ValidationFailed(
            [
                LoadError(
                    str(path),
                    None,
                    None,
                    f"found nothing to load as {adapter.FORMAT}: expected {adapter.EXPECTS}",
                )
            ]
        )
    return batch


def _found_nothing(batch: Batch) -> bool:
    """No figure, target, boundary, area or program: the file is not what the format reads."""
    return batch.observations.empty and not (
        batch.streams or batch.targets or batch.boundaries or batch.areas or batch.programs
    )


def _options(args: argparse.Namespace) -> dict:
    keys = ("indicator", "mapping", "source", "country", "parent")
    return {k: v for k in keys if (v := getattr(args, k, None))}


def _report(report: LoadReport, verb: str) -> None:
    for w in report.warnings:
        log.warning(w)
    print(
        f"{verb}: {report.files_read} file(s), {report.rows_read} rows read, "
        f"{report.observations} observations, {report.rows_rejected} rows rejected",
        file=sys.stderr,
    )
    if report.changes:
        print(
            f"changes: {report.changes} figure(s) added, revised or withdrawn "
            "(kept in the revisions table; see /changes)",
            file=sys.stderr,
        )


def cmd_build(args: argparse.Namespace) -> int:
    """Build data/ into the database; a current database is kept as it is (see etl.build)."""
    from etl import build

    engine = writable_engine(args.db)
    data = Path(args.data)
    if not data.is_dir():
        raise UsageError(f"{data}: no such data folder")
    state = build.state(engine)
    fresh = args.fresh
    if not fresh:
        state = build.upgrade(engine, state)
    if state.checksum and state.schema != build.schema_signature() and not fresh:
        log.warning(
            "the database was built with another schema (an older version of this code): "
            "rebuilding it from scratch; load your own files again with `python -m etl load`"
        )
        fresh = True
    if fresh:
        build.drop_all(engine)
        state = build.state(engine)
    checksum = build.data_checksum(data)
    boundaries_wanted = not args.no_boundaries and (args.boundaries or not state.has_boundaries)
    current = (
        f"database is current: {data} unchanged since the build of {state.built_at}; "
        "kept as it is, with everything loaded since (`make rebuild` or "
        "`python -m etl build --fresh` rebuilds it from scratch)"
    )
    if state.checksum == checksum and not boundaries_wanted:
        engine.dispose()
        print(current, file=sys.stderr)
        return EXIT_OK
    batches = []
    if state.checksum != checksum:
        if state.checksum:
            log.info("%s changed since the last build: loading it again", data)
        batches.append(read_path(data, "curated", {}))
    if boundaries_wanted:
        from etl.download import boundaries_dir

        folder = boundaries_dir(args.boundaries)
        if folder is None:
            log.warning("boundaries are not installed: maps will say so; everything else works")
        else:
            batches.append(read_path(folder, "boundaries", {}))
    if not batches:
        engine.dispose()
        print(f"{current}; boundaries are still missing", file=sys.stderr)
        return EXIT_OK
    try:
        # The embedded data is curated: its unusual-but-printed figures are reviewed and listed
        # in each dataset's README, so their plausibility warnings are shown, not refused.
        report = load(engine, batches, accept_warnings=True, before_write=build.stamp(checksum))
        _report(report, "built")
        # After a baseline build the derived figures are part of the baseline too.
        _build_derived(engine, data, record_changes=report.changes is not None)
    finally:
        engine.dispose()  # the last connection's close folds the write-ahead log in
    return EXIT_OK


def _build_derived(engine, data: Path, record_changes: bool = True) -> None:  # noqa: ANN001
    """Derive what needs stored data (the district protected-area share from its boundary)."""
    from etl.derive import protected_share_batch

    recipe = data / "mappings" / "protected_area_share_derived.csv"
    if not recipe.exists():
        return
    batch = protected_share_batch(engine, recipe)
    for w in batch.warnings:
        log.warning(w)
    if batch.errors:
        raise ValidationFailed(batch.errors)
    if not batch.observations.empty:
        _report(load(engine, [batch], record_changes=record_changes), "derived")


def cmd_load(args: argparse.Namespace, dry_run: bool = False) -> int:
    batches = [read_path(Path(p), args.format, _options(args)) for p in args.paths]
    engine = writable_engine(args.db)
    try:
        report = load(
            engine,
            batches,
            dry_run=dry_run,
            accept_warnings=getattr(args, "accept_warnings", False),
        )
    finally:
        engine.dispose()  # the last connection's close folds the write-ahead log in
    _report(report, "valid" if dry_run else "loaded")
    if not dry_run and config.database_url(args.db) == config.database_url():  # the server's
        users.audit_cli("load", ", ".join(args.paths), f"{report.observations} observations")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    return cmd_load(args, dry_run=True)


def cmd_status(args: argparse.Namespace) -> int:
    queries.use(args.db)
    if not queries.is_ready():
        print("no database yet: run `python -m etl build`")
        return EXIT_OK
    runs = queries.load_runs()
    counts = queries.observation_counts()
    from sqlalchemy.engine import make_url

    url = make_url(config.database_url(args.db)).render_as_string(hide_password=True)
    print(f"database: {url}  (data version {queries.data_version()})")
    print(f"\nload runs ({len(runs)}):")
    for r in runs.itertuples():
        print(
            f"  #{r.id} {r.finished_at:%Y-%m-%d %H:%M} {r.format:<22} {r.status:<7} "
            f"read {r.rows_read:>7}  loaded {r.rows_loaded:>7}  rejected {r.rows_rejected:>5}"
            f"  {r.file}"
        )
    print("\nobservations by source:")
    by_source = counts.groupby("source").agg(
        indicators=("indicator", "nunique"),
        observations=("n", "sum"),
        first_year=("first_year", "min"),
        last_year=("last_year", "max"),
    )
    print(by_source.to_string() if len(by_source) else "  (none)")
    _status_regions(queries.load_sheets())
    return EXIT_OK


def _status_regions(sheets: pd.DataFrame) -> None:
    """Per region: the workbook, its tables loaded and the sheets skipped with the reason."""
    if sheets.empty:
        return
    print("\nregional workbooks (per region: tables loaded, sheets skipped):")
    for (region, file, source), g in sheets.groupby(["region", "file", "source"], sort=False):
        loaded = g[g["status"] == "loaded"]
        print(
            f"  {region} {file} ({source}): {len(loaded)} sheets, "
            f"{int(loaded['observations'].sum())} observations, "
            f"{int(g['unmapped'].fillna(0).sum())} unmapped rows"
        )
        for r in loaded.itertuples():
            remark = f" ({r.reason})" if isinstance(r.reason, str) and r.reason else ""
            print(f"    loaded  {r.address} -> {r.area}{remark}")
        for r in g[g["status"] != "loaded"].itertuples():
            print(f"    skipped «{r.sheet}»: {r.reason}")


def cmd_export(args: argparse.Namespace) -> int:
    queries.use(args.db)
    if not queries.is_ready():
        raise UsageError("no database yet: run `python -m etl build`")
    meta = queries.indicator(args.indicator)
    if meta is None:
        codes = sorted(queries.indicators()["code"])
        raise UsageError(f"unknown indicator {args.indicator!r}; known: {_choices(codes)}")
    kato = queries.resolve_area(args.area)
    if kato is None:
        observed = queries.indicator_areas(args.indicator)["kato"]
        areas = queries.areas().set_index("kato")
        named = [f"{k} ({areas.at[k, 'name_en']})" for k in sorted(observed) if k in areas.index]
        raise UsageError(
            f"unknown or ambiguous area {args.area!r}: give a 9-digit KATO code; "
            f"areas with {args.indicator} data: {_choices(named)}"
        )
    sources = sorted(queries.sources()["code"])
    if args.source not in ("preferred", "all") and args.source not in sources:
        raise UsageError(
            f"unknown source {args.source!r}; use preferred, all or one of: {_choices(sources)}"
        )
    df = queries.observations(args.indicator, kato, source=args.source)
    df = df.assign(unit=meta["unit_en"])
    df = df[
        [
            "indicator",
            "area",
            "year",
            "value",
            "unit",
            "status",
            "source",
            "series",
            "year_approx",
            "note",
        ]
    ]
    if args.format == "csv":
        df.to_csv(sys.stdout, index=False)
    else:
        records = json.loads(df.to_json(orient="records", force_ascii=False, double_precision=15))
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    return EXIT_OK


def _choices(items: list[str], limit: int = 200) -> str:
    """Known choices for an error message, at most ``limit`` of them."""
    shown = ", ".join(items[:limit]) or "(none)"
    return shown + (f" ... and {len(items) - limit} more" if len(items) > limit else "")


def cmd_curate(args: argparse.Namespace) -> int:
    from etl.curate import write_batch

    batch = read_path(Path(args.path), args.format, _options(args))
    for stream in batch.streams:  # curate writes one file: read a large one whole
        frames = list(stream.chunks(batch.errors))
        batch.observations = pd.concat([batch.observations, *frames], ignore_index=True)
    if batch.errors:
        raise ValidationFailed(batch.errors)
    write_batch(batch, Path(args.out))
    print(f"wrote {len(batch.observations)} observations to {args.out}", file=sys.stderr)
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from api.report import render
    from views import report as rep

    queries.use(args.db)
    if not queries.is_ready():
        raise UsageError("no database yet: run `python -m etl build`")
    kato = queries.resolve_area(args.area)
    if kato is None:
        raise UsageError(f"unknown or ambiguous area {args.area!r}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for area in rep.areas_for(kato):
        report = rep.build(area, args.lang, args.year)
        path = out / rep.filename(report, args.format)
        path.write_bytes(render(report, args.format))
        print(path)
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from etl.backup import BackupError, backup

    try:
        backup(config.database_url(args.db), Path(args.path))
    except BackupError as exc:
        raise UsageError(str(exc)) from None
    print(f"backed up to {args.path}", file=sys.stderr)
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from etl.backup import BackupError, restore

    try:
        version = restore(config.database_url(args.db), Path(args.path))
    except BackupError as exc:
        raise UsageError(str(exc)) from None
    print(f"restored {args.path} (data version {version})", file=sys.stderr)
    return EXIT_OK


COMMANDS = {
    "backup": cmd_backup,
    "restore": cmd_restore,
    "build": cmd_build,
    "load": cmd_load,
    "validate": cmd_validate,
    "status": cmd_status,
    "export": cmd_export,
    "curate": cmd_curate,
    "report": cmd_report,
    "users": users.cmd_users,
}

__all__ = ["main", "parser", "read_path", "pd"]
