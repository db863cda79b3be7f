"""Tell a real 法治政府建设 annual report from the look-alikes that share its column and its words."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Look-alike rules, checked in order before the report rule; each is (kind, reason, pattern).
# Order matters: a 范文 page titled like a report is still a template; an 通知 that forwards a
# 工作要点 is a work plan either way.
LOOKALIKES: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (kind, reason, re.compile(pattern))
    for kind, reason, pattern in (
        ("template", "writing template or sample text",
         r"范文|模板|范本|写作|怎么写|精选\d*篇|\d+篇|参考文本|例文"),
        ("interpretation", "interpretation or graphic of a report", r"解读|图解|一图读懂|一图看懂|答记者问"),
        # 「区政府召开常务会议审议…情况报告」 names the report but is news about a meeting.
        ("unrelated", "news about a meeting or event", r"召开|会议|审议|座谈会|推进会|部署会|报告会|培训|调研|督导|观摩|举办|举行"),
        ("disclosure_report", "government information disclosure report", r"(政府)?信息公开(工作)?(年度)?(报告|年报)"),
        ("shufa_report", "述法 or 述职 report by an official", r"述法|述职"),
        ("evaluation", "third-party evaluation or ranking", r"第三方|评估报告|测评报告|评估结果|指数报告|蓝皮书|调查报告|满意度"),
        ("assessment_result", "assessment or inspection result", r"考核结果|考评结果|督察结果|督察反馈|考核.*公示|示范.*(名单|公示)|评选"),
        ("work_plan", "work plan for the year ahead", r"工作要点|工作计划|工作安排|任务清单|任务分工|重点任务"),
        ("implementation_plan", "implementation plan, outline or opinion", r"实施方案|实施纲要|实施意见|规划|纲要|工作方案|行动方案|办法|规定"),
        ("notice", "notice or circular about reports", r"(通知|通报|公告|公示|批复|的函)$"),
    )
)

# The real report: 法治政府建设 (or a department's 法治建设) plus a report noun.
REPORT_SUBJECT = re.compile(r"法治政府建设|法治建设|依法行政|法治政府")
REPORT_NOUN = re.compile(r"(年度|情况|工作情况|工作|推进)?(的)?报告|工作总结|年度总结|年报")
YEAR = re.compile(r"(19|20)\d{2}")
# Real titles that never say 报告: 「山东省2023年度法治政府建设情况」, 「…2023年度法治政府建设工作」.
REPORT_WITHOUT_NOUN = re.compile(r"(?:19|20)\d{2}年度?(?:[\u4e00-\u9fff]{0,12}?)(?:法治政府建设|依法行政)(?:工作)?(?:情况)?$")
# What a page's opening says about its kind when its title does not (a saved text without a heading).
OPENING_CHARS = 600
BODY_RULES: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (kind, reason, re.compile(pattern))
    for kind, reason, pattern in (
        ("template", "template text in the opening",
         r"范文|模板|范本|(?<![A-Za-z])20(?:XX|xx|××)年|(?<![A-Za-z])(?:XX|xx|××)(?:省|市|区|县|镇|乡)|^某(?:省|市|区|县)"),
        ("unrelated", "news report (dateline or reporter)",
         r"^.{0,30}(?:网讯|本报讯|讯[(（]|日电|记者|通讯员)|^\d{1,2}日[,，]"),
        ("disclosure_report", "government information disclosure report", r"政府信息公开条例"),
        ("assessment_result", "assessment result", r"考核.{0,60}(?:为激励先进|予以通报|结果如下)"),
        ("implementation_plan", "plan or outline in the opening", r"制定本(?:实施)?方案|制定本规划|现印发给你们"),
        ("annual_report", "report formula in the opening",
         r"(?:法治政府建设|依法行政|法治建设)[^。]{0,200}?(?:报告如下|汇报如下)|(?:报告|汇报)如下[^。]{0,10}$"),
        ("annual_report", "year's rule-of-law work in the opening",
         r"(?m)^(?:(?:19|20)\d{2}年|今年以来|一年来)[^。]{0,580}(?:法治政府|依法行政)"),
        ("annual_report", "report formula after rule-of-law words", r"(?s)法治.{0,600}?现将[^。]{0,30}(?:报告|汇报)如下"),
        ("annual_report", "a preface on the year's rule-of-law work", r"^[^\n]{0,10}\n(?:19|20)\d{2}年.{0,300}?法治政府建设"),
    )
)
TEMPLATE_OPENING = BODY_RULES[0]
TITLE_UNDECIDED = ("empty title", "no rule-of-law report words")
SPACES = re.compile(r"\s+")
# 「…工作情况及2021年工作计划的报告」, 「…工作总结和2021年工作思路」: next year's plan is a required part
# of the report, so a plan named after 及/和/暨 does not make the title a work plan.
PLAN_CONJUNCT = re.compile(
    r"(?:以及|及|和|暨|与)(?:(?:19|20)\d{2}\s*年度?|下一步|明年|下一年度?)?(?:工作)?(?:计划|安排|打算|思路|要点)"
)
# 「…情况的报告（经县政府常务会议审议通过）」: a note on how the report was adopted, not news.
ADOPTION_NOTE = re.compile(r"[(（][^()（）]*(会议|审议|通过)[^()（）]*[)）]$")
# A document cited by name, e.g. 「关于贯彻落实《法治政府建设实施纲要》情况的报告」.
CITED = re.compile(r"《[^》]*》")
BRACKETS = re.compile(r"^[\[【(（]?(置顶|转载|原创|新)[\]】)）]?")


@dataclass(frozen=True)
class TitleVerdict:
    """The classifier's answer: is it a report, which kind of document, and the rule that decided."""

    is_report: bool
    kind: str
    reason: str


def classify_title(title: str) -> TitleVerdict:
    """Classify a list or page title as an annual report ("annual_report") or a look-alike kind."""
    text = normalise_title(title)
    if not text:
        return TitleVerdict(False, "unrelated", "empty title")
    own = _own_words(text)
    for kind, reason, pattern in LOOKALIKES:
        match = pattern.search(own)
        if match:
            return TitleVerdict(False, kind, f"{reason}: {match.group(0)!r}")
    subject = REPORT_SUBJECT.search(text)
    noun = REPORT_NOUN.search(text, subject.end()) if subject else None
    if subject and noun:
        return TitleVerdict(True, "annual_report", f"{subject.group(0)} + {noun.group(0)}")
    if REPORT_WITHOUT_NOUN.search(text):
        return TitleVerdict(True, "annual_report", f"year + {subject.group(0) if subject else '依法行政'}, no noun")
    if subject:
        return TitleVerdict(False, "unrelated", f"mentions {subject.group(0)} but is not a report")
    return TitleVerdict(False, "unrelated", "no rule-of-law report words")


def classify_page(title: str | None, body: str) -> TitleVerdict:
    """The title's verdict, or, when the title says nothing (no title, a chrome line), the opening's."""
    verdict = classify_title(title or "")
    opening = unicodedata.normalize("NFKC", body[:OPENING_CHARS]).strip()
    if verdict.kind == "annual_report":
        # A 范文 site's sample titled like a real report: its opening is still template text.
        kind, reason, pattern = TEMPLATE_OPENING
        match = pattern.search(opening)
        return TitleVerdict(False, kind, f"{reason}: {match.group(0)!r}") if match else verdict
    if not verdict.reason.startswith(TITLE_UNDECIDED):
        return verdict
    for kind, reason, pattern in BODY_RULES:
        match = pattern.search(opening)
        if match:
            return TitleVerdict(kind == "annual_report", kind, f"{reason}: {match.group(0)[:20]!r}")
    return verdict


def _own_words(text: str) -> str:
    """The words that name this document's own type: conjoined plans and cited 《titles》 removed.

    Cited titles are only dropped when a report noun remains outside them; otherwise (「关于印发《…工作要点》
    的通知」, a list that wraps the whole title in 《》) the full text decides.
    """
    text = ADOPTION_NOTE.sub("", PLAN_CONJUNCT.sub("", text))
    outside = CITED.sub("", text)
    return outside if outside != text and REPORT_NOUN.search(outside) else text


def normalise_title(title: str) -> str:
    """NFKC (full-width → half-width), no spaces, no leading 【置顶】-style tags, no trailing punctuation."""
    text = unicodedata.normalize("NFKC", title or "")
    text = SPACES.sub("", text)
    text = BRACKETS.sub("", text)
    return text.strip("。.…·-_|")
