"""Importing articles from the desk: /review/import/ takes many files or .zip files and starts a
background import (sources.uploads expands the zips, sources.jobs stores the files and runs
the import); /review/import/<id>/ shows the job's progress and what happened to each file, in
Chinese, and `status.json` is what its script polls while the job runs.

Each file's outcome is worded here from the importer's `code` and `params` (sources.importer,
sources.decoding.REFUSAL_CODES), not from its English message, which stays the command's.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from claims.access import editor_required, is_editor
from claims.assistant.models import KnownClaim
from claims.models import Verdict
from sources.forms import ArticleUploadForm
from sources.importer import IMPORTED, REFUSED, UNCHANGED, max_bytes_setting
from sources.jobs import job_status, start_upload_import
from sources.models import Article, ImportJob
from sources.uploads import (
    MAX_FILES,
    MAX_TOTAL_BYTES,
    MAX_ZIP_MEMBERS,
    UploadRefused,
    expand,
    megabytes,
)

# The recent jobs listed under the form.
RECENT_JOBS = 20
# A job still queued after this many seconds has no worker taking it: the page says so.
QUEUED_TOO_LONG = 30
# The known claims shown for one file (the strongest first).
KNOWN_CLAIMS_SHOWN = 5

STATUS_ZH: dict[str, str] = {
    ImportJob.Status.QUEUED: "排队中",
    ImportJob.Status.RUNNING: "导入中",
    ImportJob.Status.DONE: "已完成",
    ImportJob.Status.FAILED: "出错停止",
}
OUTCOME_ZH = {IMPORTED: "已导入", UNCHANGED: "重复", REFUSED: "拒绝"}
SCRIPT_ZH = {"hans": "简体", "hant": "繁体", "mixed": "简繁混合"}
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8（带 BOM）",
    "utf-16": "UTF-16",
    "gb18030": "GB18030",
    "gbk": "GBK",
    "gb2312": "GB2312",
    "big5": "Big5",
    "cp950": "Big5（CP950）",
    "big5hkscs": "Big5-HKSCS",
}
# sources.decoding.binary_kind's words.
BINARY_KINDS_ZH = {
    "PNG image": "PNG 图片",
    "JPEG image": "JPEG 图片",
    "GIF image": "GIF 图片",
    "PDF document": "PDF 文档",
    "ZIP archive or Office document": "zip 压缩包或 Office 文档",
    "gzip archive": "gzip 压缩包",
    "7-Zip archive": "7-Zip 压缩包",
    "RAR archive": "RAR 压缩包",
    "executable": "可执行程序",
    "SQLite database": "SQLite 数据库",
    "old Office document": "旧版 Office 文档",
    "audio or video file": "音频或视频文件",
    "it contains NUL bytes": "含有 NUL 字节",
    "it is full of control characters": "满是控制字符",
}
# sources.parsing's front matter problems.
FRONT_MATTER_ZH = {
    "unclosed": "开头的 --- 没有对应的结尾 ---",
    "yaml": "YAML 语法错误",
    "not_a_mapping": "不是“键: 值”形式的各行",
    "control_character": "{key} 中有控制字符",
    "not_text": "{key} 不是文本",
    "bad_url": "url 不是网址",
}


def _script_zh(script):
    return SCRIPT_ZH.get(script or "", script or "未知文字")


def _encoding_name(encoding):
    return ENCODING_NAMES.get((encoding or "").lower(), encoding or "未知编码")


def refusal_zh(code, params, message=""):
    """Why a file was refused, in Chinese, from the importer's code and params."""
    p = params or {}
    if code == "too_large":
        return (
            f"文件过大（{p.get('size', 0):,} 字节，约 {megabytes(p.get('size', 0))}；"
            f"单个文件上限 {megabytes(p.get('limit', 0))}）"
        )
    if code == "empty":
        return "文件是空的（0 字节）"
    if code == "binary":
        kind = p.get("kind", "")
        return f"不是文本文件（{BINARY_KINDS_ZH.get(kind, kind)}）"
    if code == "unknown_encoding":
        return f"未知的编码“{p.get('encoding', '')}”"
    if code == "wrong_encoding":
        return (
            f"无法按 {_encoding_name(p.get('encoding'))} 读取"
            f"（第 {int(p.get('position', 0)) + 1:,} 个字节起无效）；可改选“自动识别”再试"
        )
    if code == "bad_bom":
        bom = p.get("bom", "UTF-8")
        return f"以 {bom} 字节顺序标记（BOM）开头，内容却不是有效的 {bom}"
    if code == "undecodable":
        return (
            "无法识别编码：不是 UTF-8、GB18030/GBK 或 Big5 编码的中文文本"
            "（可在“编码”中指定一种再试）"
        )
    if code == "control_character":
        if p.get("line"):
            return (
                f"第 {p['line']} 行第 {p.get('column', '?')} 列有控制字符 {p.get('char', '')}；"
                "请删除后再导入"
            )
        return "含有控制字符；请删除后再导入"
    if code == "whitespace_only":
        return "只有空白，没有文字"
    if code == "front_matter":
        problem = FRONT_MATTER_ZH.get(p.get("problem", ""), "")
        problem = problem.format(key=p.get("key", "")) if problem else "无法读取"
        where = f"（第 {p['line']} 行）" if p.get("line") else ""
        return f"文件开头的前置信息（front matter）格式有误：{problem}{where}"
    if code == "front_matter_too_large":
        return (
            f"前置信息（front matter）过长（{p.get('size', 0):,} 字节，"
            f"上限 {p.get('limit', 0):,} 字节）"
        )
    if code == "bad_date":
        return f"前置信息中的日期“{p.get('value', '')}”无效（请写作 YYYY-MM-DD）"
    if code == "no_text":
        if p.get("front_matter"):
            return "只有前置信息，没有正文"
        return "没有正文（只有声明或图片占位）"
    if code == "conflict":
        return "另一项导入同时保存了相同的内容，本文件未能保存；请重试"
    if code == "failed":
        return f"导入时出错（{p.get('error', '')}）；已记入日志"
    if code == "missing":
        return "文件不存在"
    if code == "not_a_file":
        return "不是普通文件"
    if code == "unreadable":
        return f"无法读取（{p.get('reason', '')}）"
    # An older job, or a refusal without a code: the importer's own words.
    return f"未能导入（{message.removeprefix('refused: ')}）" if message else "未能导入"


# --- each file's result, as the page and its poll show it --------------------------------------


def _articles(results):
    """{id: title} of the results' articles (one query; bodies are not read)."""
    ids = {r["article"] for r in results if r.get("article")}
    if not ids:
        return {}
    return dict(Article.objects.filter(pk__in=ids).values_list("id", "title"))


def _known_claims(article_ids):
    """{article id: [{"claim", "text", "url", "verdict", "state"}]}: the desk's claims each
    article repeats (KnownClaim rows, stored when the article arrived), the strongest first,
    with the verdict in force, or else the one proposed."""
    if not article_ids:
        return {}
    rows = list(
        KnownClaim.objects.filter(article_id__in=article_ids)
        .select_related("claim")
        .only("article_id", "claim_id", "score", "claim__text")
        .order_by("article_id", "-score", "claim_id")
    )
    verdicts: dict[int, Verdict] = {}
    for verdict in Verdict.objects.filter(
        claim_id__in={r.claim_id for r in rows},
        status__in=[Verdict.Status.APPROVED, Verdict.Status.PROPOSED],
    ).order_by("-proposed_at", "-id"):
        kept = verdicts.get(verdict.claim_id)
        if kept is None or (
            verdict.status == Verdict.Status.APPROVED and kept.status != Verdict.Status.APPROVED
        ):
            verdicts[verdict.claim_id] = verdict
    found: dict[int, list[dict]] = {}
    for row in rows:
        items = found.setdefault(row.article_id, [])
        if len(items) >= KNOWN_CLAIMS_SHOWN:
            continue
        in_force = verdicts.get(row.claim_id)
        if in_force is None:
            state, label, rating = "unrated", "尚未评定", ""
        elif in_force.status == Verdict.Status.APPROVED:
            state, label, rating = "approved", f"已评定：{in_force.label_zh}", in_force.rating
        else:
            state, label, rating = "proposed", f"结论待审核：{in_force.label_zh}", in_force.rating
        items.append(
            {
                "claim": row.claim_id,
                "text": row.claim.text,
                "url": reverse("review:claim", args=[row.claim_id]),
                "state": state,
                "verdict": label,
                "rating": rating,
            }
        )
    return found


def _detail(result):
    """What the page says after the outcome's label and the article's link."""
    code, p = result.get("code", ""), result.get("params") or {}
    status = result.get("status")
    if status == IMPORTED:
        if not p:
            return ""
        return (
            f"{_script_zh(p.get('script'))}，{_encoding_name(p.get('encoding'))}；"
            f"来源：{p.get('source', '')}"
        )
    if status == UNCHANGED:
        if code == "same_text":
            return (
                f"此文件：{_script_zh(p.get('script'))}，{_encoding_name(p.get('encoding'))}；"
                f"已存的文章：{_script_zh(p.get('article_script'))}，"
                f"{_encoding_name(p.get('article_encoding'))}。未再次导入，已列入该文章的文件。"
            )
        if code == "same_file" and p:
            return (
                f"同一文件此前已导入（{_script_zh(p.get('script'))}，"
                f"{_encoding_name(p.get('encoding'))}），未再次导入。"
            )
        if code == "same_file":
            return "同一文件此前已导入，未再次导入。"
        return "未再次导入。"
    return refusal_zh(code, p, result.get("message", ""))


def file_items(results, start=0):
    """The results from `start` on, as the page shows them (each with its own `row_html`):
    three queries (articles, the claims they repeat, their verdicts), whatever the number of
    files."""
    results = results[start:]
    articles = _articles(results)
    known = _known_claims(list(articles))
    items = []
    for index, result in enumerate(results, start=start):
        status = result.get("status", REFUSED)
        article_id = result.get("article")
        exists = article_id in articles
        item = {
            "index": index,
            "filename": result.get("filename", ""),
            "status": status,
            "code": result.get("code", ""),
            "label": OUTCOME_ZH.get(status, status),
            "detail": _detail(result),
            "article": None,
            "known_claims": known.get(article_id, []) if article_id else [],
        }
        if article_id:
            item["article"] = {
                "id": article_id,
                "title": (articles[article_id] or f"文章 #{article_id}") if exists else "",
                "url": reverse("review:article", args=[article_id]) if exists else "",
            }
        item["row_html"] = render_to_string("review/_import_result.html", {"item": item})
        items.append(item)
    return items


def _counts(job):
    """The job's counts, with the files whose article repeats a known claim."""
    ids = {r.get("article") for r in job.results if r.get("article")}
    repeating = set(
        KnownClaim.objects.filter(article_id__in=ids).values_list("article_id", flat=True)
    )
    return {
        "imported": job.imported,
        "unchanged": job.unchanged,
        "refused": job.refused,
        "known_claims": sum(1 for r in job.results if r.get("article") in repeating),
    }


def _progress_label(job):
    if job.total:
        return f"{job.done} / {job.total} 个文件"
    return f"已处理 {job.done} 个文件" if job.done else "正在清点文件"


# --- the pages -----------------------------------------------------------------------------


class ImportForm(ArticleUploadForm):
    """The admin's upload form (files, encoding), where a .zip is expanded into its files."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        files = self.fields["files"]
        files.label = "文章文件或 zip"
        files.help_text = (
            "可一次选择多个文本文件，或 .zip 压缩包（其中的文件逐个导入；隐藏文件和 .yaml、.json "
            "等数据文件不导入）。每个文件单独导入，失败的文件不影响其他文件。"
            f"一次最多选择 {settings.DATA_UPLOAD_MAX_NUMBER_FILES} 个文件，更多请打包成 zip；"
            f"一次最多导入 {MAX_FILES} 个文件、合计 {megabytes(MAX_TOTAL_BYTES)}"
            f"（zip 按解压后计算，每个 zip 最多 {MAX_ZIP_MEMBERS} 项）；"
            f"单个文件上限 {megabytes(max_bytes_setting())}。"
        )
        files.error_messages["required"] = "请选择要导入的文件。"
        files.widget.attrs["aria-describedby"] = "import-files-help"
        encoding = self.fields["encoding"]
        encoding.error_messages["invalid_choice"] = "请从列表中选择编码。"

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        try:
            data["expanded"] = expand(data["files"])
        except UploadRefused as exc:
            raise forms.ValidationError(str(exc), code="upload_refused") from None
        return data


def _recent_jobs():
    return list(
        ImportJob.objects.select_related("created_by")
        .defer("results", "paths", "error")
        .order_by("-created_at", "-id")[:RECENT_JOBS]
    )


@editor_required
def upload(request):
    """The form, and the recent imports; a good upload starts a job and shows its page."""
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            expanded = form.cleaned_data["expanded"]
            job = start_upload_import(
                expanded.files,
                user=request.user,
                encoding=form.cleaned_data["encoding"] or None,
            )
            messages.success(request, f"已开始导入 {job.total} 个文件（导入任务 #{job.pk}）。")
            if expanded.skipped:
                shown = "、".join(expanded.skipped[:5]) + (
                    "等" if len(expanded.skipped) > 5 else ""
                )
                messages.info(
                    request,
                    f"zip 中有 {len(expanded.skipped)} 个隐藏文件或数据文件未导入：{shown}。",
                )
            return redirect("review:import_job", job.pk)
        status = 400
    jobs = _recent_jobs()
    for job in jobs:
        job.status_zh = STATUS_ZH.get(job.status, job.status)
    return render(
        request,
        "review/import.html",
        {"form": form, "jobs": jobs, "recent_jobs": RECENT_JOBS},
        status=status,
    )


def waits_for_a_worker(job):
    """Still queued long after it was started: no worker is taking the desk's tasks."""
    waited = (timezone.now() - job.created_at).total_seconds()
    return job.status == ImportJob.Status.QUEUED and waited > QUEUED_TOO_LONG


@editor_required
def job_page(request, pk):
    """The job's status, progress bar, counts and each file's result (as far as it got)."""
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    return render(
        request,
        "review/import_job.html",
        {
            "job": job,
            "stalled": waits_for_a_worker(job),
            "status_zh": STATUS_ZH.get(job.status, job.status),
            "progress_label": _progress_label(job),
            "counts": _counts(job),
            "items": file_items(job.results),
        },
    )


@never_cache
def job_status_json(request, pk):
    """The job for the page's script: status, counts, and the files' results from `?since=`
    (the rows the page already has) on, each with its row as HTML. Editors only."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "请先登录。"}, status=401)
    if not is_editor(request.user):
        return JsonResponse({"detail": "只有编辑和审核员可以查看导入。"}, status=403)
    since = request.GET.get("since", "0")
    if not since.isdecimal() or len(since) > 9:
        return JsonResponse({"detail": "since 须为非负整数。"}, status=400)
    job = ImportJob.objects.filter(pk=pk).first()
    if job is None:
        return JsonResponse({"detail": "没有这个导入任务。"}, status=404)
    data = job_status(job)
    results = data.pop("results")
    data.update(
        status_label=STATUS_ZH.get(job.status, job.status),
        stalled=waits_for_a_worker(job),
        progress_label=_progress_label(job),
        counts=_counts(job),
        since=int(since),
        next=len(results),
        results=file_items(results, start=int(since)),
    )
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
