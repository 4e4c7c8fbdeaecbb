"""The staff report: one self-contained HTML file, in Chinese, that opens on an offline PC.

No CDN, no web fonts, no network: the styles, the SVG charts and the small search script are
inline. Every suggestion's text is escaped, and only the redacted text (contact details masked)
is shown. Numbers carry ``data-*`` attributes so that tests can read them back.
"""

from __future__ import annotations

import difflib
import html
from collections import Counter
from pathlib import Path

from .errors import InputError
from .reasons import Reason, Status, Theme
from .screening import Screening
from .stamp import Stamp, make_stamp
from .verdicts import Verdict

_CSS = """
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;color:#222;background:#f6f7f9}
header{background:#1f4e79;color:#fff;padding:16px 24px}header h1{margin:0;font-size:22px}
main{padding:16px 24px;max-width:1200px;margin:auto}section{background:#fff;margin:16px 0;padding:16px;border-radius:6px}
h2{font-size:18px;margin-top:0}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:6px;vertical-align:top;text-align:left;font-size:14px}
.bar{fill:#2e75b6}.bar2{fill:#9dc3e6}.label{font-size:12px}.card{display:inline-block;width:31%;margin:4px;padding:8px;border:1px solid #ddd;border-radius:4px;vertical-align:top;font-size:13px}
.pair{display:flex;gap:12px}.pair div{flex:1;background:#fafafa;padding:6px;font-size:13px}mark{background:#ffe699}
.meta{color:#666;font-size:12px}#q{width:320px;padding:6px}.staff{color:#c00}
"""

_SCRIPT = """
document.getElementById('q').addEventListener('input',function(e){
  var q=e.target.value.trim();
  document.querySelectorAll('[data-search]').forEach(function(el){
    el.style.display=(!q||el.textContent.indexOf(q)>=0)?'':'none';});
});
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _bars(items: list[tuple[str, int]], key: str, width: int = 640) -> str:
    """A horizontal SVG bar chart; each bar's number is in ``data-{key}``."""
    if not items:
        return "<p>（无）</p>"
    top = max(v for _, v in items) or 1
    rows = []
    for i, (name, value) in enumerate(items):
        w = int((width - 260) * value / top)
        y = i * 28
        rows.append(
            f'<text class="label" x="0" y="{y + 17}">{_e(name)}</text>'
            f'<rect class="bar" x="200" y="{y + 4}" width="{w}" height="18"></rect>'
            f'<text class="label" x="{206 + w}" y="{y + 17}" data-{key}="{_e(name)}">{value}</text>'
        )
    return f'<svg width="{width}" height="{len(items) * 28 + 6}" role="img">{"".join(rows)}</svg>'


def _highlight(a: str, b: str) -> tuple[str, str]:
    """Both texts escaped, with the passages they share (8+ characters) in <mark>."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    blocks = [m for m in matcher.get_matching_blocks() if m.size >= 8]

    def render(text: str, spans: list[tuple[int, int]]) -> str:
        out, last = [], 0
        for start, size in spans:
            out.append(_e(text[last:start]))
            out.append(f"<mark>{_e(text[start:start + size])}</mark>")
            last = start + size
        out.append(_e(text[last:]))
        return "".join(out)

    return render(a, [(m.a, m.size) for m in blocks]), render(b, [(m.b, m.size) for m in blocks])


def _theme_name(theme: str) -> str:
    return Theme(theme).zh if theme in Theme.__members__.values() else theme


def _funnel(result: Screening) -> str:
    s = result.summary()
    steps = [("收到建议", s["rows"]), ("去除重复后", s["after_dedup"]),
             ("去除不合规后", s["after_compliance"]), ("保留", s["kept"])]
    return f"<section><h2>筛选漏斗</h2>{_bars(steps, 'funnel')}</section>"


def _themes(verdicts: tuple[Verdict, ...]) -> str:
    counts = Counter(_theme_name(v.theme) for v in verdicts if v.status is Status.KEPT)
    return f"<section><h2>保留建议的主题分布</h2>{_bars(counts.most_common(), 'theme')}</section>"


def _topics(result: Screening, limit: int = 12) -> str:
    table = result.topics().head(limit)
    by_id = {v.id: v for v in result.verdicts}
    cards = []
    for row in table.itertuples(index=False):
        examples = "".join(
            f"<li>{_e(by_id[i].text_redacted[:80])}</li>" for i in str(row.representatives).split(";") if i
        )
        cards.append(
            f'<div class="card" data-search><b>{_e(row.label)}</b><div class="meta">{_e(_theme_name(row.theme))}'
            f' · 热度 <span data-heat="{_e(row.topic_id)}">{row.heat}</span> · {row.size} 条</div><ul>{examples}</ul></div>'
        )
    return f"<section><h2>热门子话题</h2>{''.join(cards) or '<p>（无）</p>'}</section>"


def _duplicates(result: Screening, limit: int = 30) -> str:
    by_id = {v.id: v for v in result.verdicts}
    rows = []
    for v in [v for v in result.verdicts if v.status is Status.DUPLICATE][:limit]:
        rep = by_id.get(v.duplicate_of)
        if rep is None:
            continue
        left, right = _highlight(v.text_redacted, rep.text_redacted)
        rows.append(
            f'<div data-search><p class="meta">{_e(v.id)} 与 {_e(rep.id)}（相似度 {_e(v.similarity)}）</p>'
            f'<div class="pair"><div>{left}</div><div>{right}</div></div></div>'
        )
    return f"<section><h2>重复建议（左：重复提交；右：保留的建议）</h2>{''.join(rows) or '<p>（无）</p>'}</section>"


def _rejected(result: Screening) -> str:
    rows = []
    for v in result.verdicts:
        if v.status in (Status.NON_COMPLIANT, Status.TOO_SIMPLE) or v.decided_by == "staff":
            reasons = "；".join(r.zh for r in v.reasons) if v.reasons else ""
            staff = f'<span class="staff">工作人员决定：{_e(v.note)}</span>' if v.decided_by == "staff" else ""
            rows.append(
                f"<tr data-search><td>{_e(v.id)}</td><td>{_e(v.status.zh)}</td><td>{_e(reasons)}</td>"
                f"<td>{_e(v.compliance_rule)}</td><td>{_e(v.text_redacted[:120])}<br>{staff}</td></tr>"
            )
    head = "<tr><th>编号</th><th>结论</th><th>原因</th><th>规则与法律依据</th><th>建议（已隐去联系方式）</th></tr>"
    return f"<section><h2>未保留的建议与人工决定</h2><table>{head}{''.join(rows)}</table></section>"


def _stamp(stamp: Stamp) -> str:
    items = "".join(f"<li>{_e(k)}：{_e(v)}</li>" for k, v in stamp.rows())
    return f'<section><h2>可复现信息</h2><ul class="meta">{items}</ul></section>'


def render_report(result: Screening, source: str | Path | None = None) -> str:
    """The whole report as one HTML string."""
    reason_counts = Counter(r for v in result.verdicts for r in v.reasons)
    reasons = [(f"{r.zh}（{r.value}）", reason_counts[r]) for r in Reason if reason_counts[r]]
    body = "".join([
        _funnel(result), _themes(result.verdicts),
        f"<section><h2>原因分布</h2>{_bars(reasons, 'reason')}</section>",
        _topics(result), _duplicates(result), _rejected(result), _stamp(make_stamp(result.config.digest(), source)),
    ])
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>营商环境金点子筛选报告</title><style>{_CSS}</style></head><body>"
        '<header><h1>营商环境“金点子”筛选报告</h1></header><main>'
        '<p><input id="q" placeholder="搜索建议、编号或关键词"></p>'
        f"{body}</main><script>{_SCRIPT}</script></body></html>"
    )


def write_report(result: Screening, path: str | Path, source: str | Path | None = None) -> Path:
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_report(result, source), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot write the report ({exc.strerror})") from exc
    return path
