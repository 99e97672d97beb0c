"""What an upload form hands to a background import (sources.jobs.start_upload_import): the
uploaded files as they are, and each .zip among them expanded into its members, read as a
folder is walked (`sources.importer.iter_files`: directories, hidden files, macOS's
`__MACOSX/` and data files such as review.yaml are skipped).

An upload over the limits below, or a zip that cannot be read, is refused whole with
`UploadRefused` (its message is for the editor, in Chinese) before anything is stored. A file
or member over the import limit (IMPORT_MAX_BYTES) is not refused here: it is never read, and
the job lists it as refused, as the command does.
"""

import dataclasses
import logging
import lzma
import zipfile
import zlib
from pathlib import PurePosixPath

from sources.decoding import Refused, decode
from sources.importer import SKIPPED_SUFFIXES, max_bytes_setting
from sources.jobs import TooLarge

logger = logging.getLogger(__name__)

__all__ = [
    "MAX_FILES",
    "MAX_TOTAL_BYTES",
    "MAX_ZIP_MEMBERS",
    "UploadRefused",
    "Expanded",
    "expand",
    "is_zip",
]

# Files one upload may import, a zip's members counted one by one.
MAX_FILES = 1000
# Entries of one zip, folders and skipped files included (its directory is read whole).
MAX_ZIP_MEMBERS = 2000
# The bytes of one upload's files together, a zip's members counted uncompressed.
MAX_TOTAL_BYTES = 100 * 1024 * 1024


class UploadRefused(Exception):
    """The upload as a whole cannot be imported; the message says why, for the editor."""


@dataclasses.dataclass
class Expanded:
    # For start_upload_import, in order: UploadedFile, (name, bytes) or TooLarge.
    files: list
    # Zip members left out (hidden files, data files), by name.
    skipped: list


def is_zip(upload):
    return str(upload.name or "").lower().endswith(".zip")


def megabytes(size):
    """`size` bytes in MB for people: "100 MB", "2.5 MB"."""
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0") + " MB"


def expand(uploads, max_bytes=None):
    """The files to import from `uploads` (Django's UploadedFile objects): an Expanded, or
    UploadRefused."""
    max_bytes = max_bytes_setting() if max_bytes is None else max_bytes
    files, skipped, total = [], [], 0
    for upload in uploads:
        if is_zip(upload):
            members, left_out = _members(upload, max_bytes)
            files.extend(members)
            skipped.extend(left_out)
            total += sum(len(m[1]) for m in members if not isinstance(m, TooLarge))
        else:
            files.append(upload)
            total += upload.size if upload.size <= max_bytes else 0
        if len(files) > MAX_FILES:
            raise UploadRefused(
                f"一次最多导入 {MAX_FILES} 个文件（zip 中的文件逐个计算），这次上传超过了上限；"
                "请分几次上传。"
            )
        if total > MAX_TOTAL_BYTES:
            raise UploadRefused(
                f"这次上传的文件合计超过 {megabytes(MAX_TOTAL_BYTES)}（zip 按解压后的大小计算）；"
                "请分几次上传。"
            )
    if not files:
        raise UploadRefused(
            "上传中没有可导入的文件（zip 中只有文件夹、隐藏文件或数据文件）；没有导入任何文件。"
        )
    return Expanded(files, skipped)


def _member_name(info):
    """The member's name: zip tools without the UTF-8 flag write names in the system's code
    page (GBK or Big5 on Chinese Windows), which zipfile reads as cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    try:
        return decode(raw)[0]
    except Refused:
        return info.filename


def _left_out(name):
    parts = PurePosixPath(name).parts
    return (
        not parts
        or any(part.startswith(".") or part == "__MACOSX" for part in parts)
        or name.lower().endswith(SKIPPED_SUFFIXES)
    )


def _members(upload, max_bytes):
    """`(files, skipped)` of one uploaded zip, or UploadRefused."""
    zip_name = upload.name
    broken = f"“{zip_name}”不是有效的 zip 文件，或已损坏，无法读取；没有导入任何文件。"
    if upload.size > MAX_TOTAL_BYTES:
        raise UploadRefused(
            f"“{zip_name}”超过 {megabytes(MAX_TOTAL_BYTES)}；请拆成几个较小的 zip 分次上传。"
        )
    files: list[tuple[str, bytes] | TooLarge] = []
    skipped, unpacked = [], 0
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_MEMBERS:
                raise UploadRefused(
                    f"“{zip_name}”中有 {len(entries)} 项，超过上限 {MAX_ZIP_MEMBERS} 项；"
                    "请拆成几个 zip 分次上传。"
                )
            for info in entries:
                if info.is_dir():
                    continue
                name = _member_name(info)
                if _left_out(name):
                    skipped.append(name)
                    continue
                if info.flag_bits & 0x1:
                    raise UploadRefused(
                        f"“{zip_name}”有密码保护（“{name}”已加密），无法读取；请上传未加密的 zip。"
                    )
                if info.file_size > max_bytes:
                    files.append(TooLarge(name, info.file_size))
                    continue
                unpacked += info.file_size
                if unpacked > MAX_TOTAL_BYTES:
                    raise UploadRefused(
                        f"“{zip_name}”解压后超过 {megabytes(MAX_TOTAL_BYTES)}；"
                        "请拆成几个较小的 zip 分次上传。"
                    )
                # Never more than the member's declared size (zipfile stops there) and its
                # CRC is checked: a member that lies about either is a broken zip.
                with archive.open(info) as member:
                    files.append((name, member.read(max_bytes + 1)))
    except UploadRefused:
        raise
    except NotImplementedError as exc:  # a compression method zipfile lacks
        raise UploadRefused(
            f"“{zip_name}”使用了无法读取的压缩方式；请用普通的 zip（Deflate）重新打包。"
        ) from exc
    except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, ValueError) as exc:
        raise UploadRefused(broken) from exc
    except Exception as exc:  # noqa: BLE001 - whatever else a crafted zip provokes: a 400
        logger.warning("Upload %r is an unreadable zip: %r", zip_name, exc)
        raise UploadRefused(broken) from exc
    return files, skipped
