"""Download geokz's boundary shapefiles from their public address and verify their checksums.

The expected SHA-256 of each of the 20 files (ADM1 and ADM2, 2018 and 2024 vintages, five
shapefile parts each) is kept in ``etl/geokz_sha256sums.txt``. A file already present with
the right checksum is not downloaded again; a downloaded file is written under a temporary
name and renamed only once its checksum is verified.
"""

from __future__ import annotations

import hashlib
import http.client
import logging
import os
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from tqdm import tqdm

import config

logger = logging.getLogger(__name__)

GEOKZ_COMMIT = "41c1a00454ec9e01bda031b5074920bd82de02ce"
GEOKZ_BASE = f"https://raw.githubusercontent.com/arodionoff/geokz/{GEOKZ_COMMIT}/inst/shape/"
CHECKSUMS_FILE = Path(__file__).with_name("geokz_sha256sums.txt")
TIMEOUT = 60.0  # seconds, per connection attempt and per read
CHUNK = 1 << 16


class DownloadError(RuntimeError):
    """A file could not be downloaded, or arrived with the wrong checksum."""


def expected_checksums(path: Path = CHECKSUMS_FILE) -> dict[str, str]:
    """File name -> SHA-256, from a ``sha256sum`` listing."""
    checksums = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            checksums[name.lstrip("*")] = digest.lower()
    return checksums


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fetch_boundaries(dest_dir: Path, base_url: str = GEOKZ_BASE, timeout: float = TIMEOUT) -> Path:
    """Download the geokz shapefiles into ``dest_dir`` (skipping verified ones); return it.

    Raises :class:`DownloadError` when a file cannot be fetched or its checksum is wrong;
    no file with a wrong checksum is left in ``dest_dir``.
    """
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    wanted = []
    for name, digest in expected_checksums().items():
        target = dest_dir / name
        if target.is_file():
            if sha256(target) == digest:
                continue
            logger.warning("%s has the wrong checksum; downloading it again", target)
            target.unlink()
        wanted.append((name, digest))
    if not wanted:
        logger.info("geokz boundaries already in %s", dest_dir)
        return dest_dir
    logger.info("downloading %d geokz file(s) from %s into %s", len(wanted), base_url, dest_dir)
    with tqdm(total=len(wanted), unit="file", desc="geokz", disable=not sys.stderr.isatty()) as bar:
        for name, digest in wanted:
            bar.set_postfix_str(name)
            _fetch(f"{base_url.rstrip('/')}/{name}", dest_dir / name, digest, timeout)
            bar.update()
    return dest_dir


def _fetch(url: str, target: Path, digest: str, timeout: float) -> None:
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        got = hashlib.sha256()
        try:
            with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as resp:
                for chunk in iter(lambda: resp.read(CHUNK), b""):
                    got.update(chunk)
                    out.write(chunk)
        except urllib.error.HTTPError as exc:
            raise DownloadError(f"cannot download {url}: HTTP {exc.code} {exc.reason}") from exc
        except (OSError, http.client.HTTPException) as exc:
            reason = getattr(exc, "reason", exc)
            raise DownloadError(
                f"cannot download {url}: {reason} (offline? set INDICATORS_BOUNDARIES_DIR "
                "to a folder holding the geokz shapefiles)"
            ) from exc
        if got.hexdigest() != digest:
            raise DownloadError(
                f"{target.name}: checksum mismatch for {url}: expected {digest}, "
                f"got {got.hexdigest()}; the file was not kept"
            )
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


def boundaries_dir(explicit: str | None = None, base_url: str = GEOKZ_BASE) -> Path | None:
    """The folder of geokz shapefiles for ``build``.

    ``explicit`` > the INDICATORS_BOUNDARIES_DIR setting > a verified download into
    INDICATORS_DOWNLOAD_DIR/geokz. None, with a logged warning, when the download fails.
    """
    configured = config.get("INDICATORS_BOUNDARIES_DIR", explicit)
    if configured:
        folder = Path(configured)
        if not folder.is_dir():
            raise FileNotFoundError(f"INDICATORS_BOUNDARIES_DIR {folder} is not a folder")
        return folder
    dest = Path(config.get("INDICATORS_DOWNLOAD_DIR")) / "geokz"
    try:
        return fetch_boundaries(dest, base_url)
    except DownloadError as exc:
        logger.warning("building without boundaries: %s", exc)
        return None
