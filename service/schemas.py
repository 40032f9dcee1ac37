"""The HTTP contract: request, the full classification result, problems, taxonomy.

The response models mirror exactly what ``Pipeline.classify`` returns; the
tests validate real pipeline output against them, so a change in the pipeline's
shape fails a test instead of silently changing the API. Facts that the
pipeline does not extract yet are typed here (nullable) so they can be filled
without an API change.
"""
from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SupportType = Literal["technical", "customer", "sales_hybrid", "not_support"]
Seniority = Literal["entry", "specialist", "senior", "lead"]
WorkFormat = Literal["remote", "hybrid", "office", "field"]
ExperienceId = Literal["noExperience", "between1And3", "between3And6", "moreThan6"]
TextField = Literal["title", "description"]
Format = Literal["auto", "text", "html"]

TITLE_MAX_CHARS = 1000
# A blank title is refused as a missing one is. Blank: whitespace to Python (str.isspace) or to JavaScript
# (ECMA-262 \s, which adds U+FEFF and lacks U+001C-U+001F and U+0085), spelt out so that the schema's pattern
# means the same in every regex engine, schemathesis's generator included.
TITLE_PATTERN = r"[^\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"
_HAS_TEXT = re.compile(TITLE_PATTERN)

ID_MAX_CHARS = 256


class ClassifyRequest(BaseModel):
    """One ad. Unknown fields are rejected so a typo (``descripton``) is an error, not an empty text."""

    model_config = ConfigDict(extra="forbid", strict=True)

    # The schema states the rule too, so a request the schema calls valid is never refused.
    title: Annotated[str, Field(min_length=1, max_length=TITLE_MAX_CHARS, json_schema_extra={"pattern": TITLE_PATTERN},
                                description="The ad's title: at least one character that is not whitespace.")]
    description: Annotated[str, Field(description="The ad's body, plain text or HTML.")] = ""
    id: Annotated[str | None, Field(max_length=ID_MAX_CHARS, description="Echoed back in the result.")] = None
    format: Annotated[Format, Field(description="How to read `description`: `auto` detects HTML.")] = "auto"

    @field_validator("title")
    @classmethod
    def _not_blank(cls, title: str) -> str:
        if not _HAS_TEXT.search(title):
            raise ValueError("the title is empty or whitespace")
        return title


# --- result ---------------------------------------------------------------------------------------

class _Out(BaseModel):
    model_config = ConfigDict(populate_by_name=True)


class Span(_Out):
    field: TextField = Field(description="Which request field the span indexes.")
    start: int = Field(ge=0, description="Start offset (Python string index) in that field, inclusive.")
    end: int = Field(ge=0, description="End offset, exclusive: `request[field][start:end] == text`.")
    text: str


class Evidence(Span):
    rule: str = Field(description="Rule id, `experience.years` for the experience parser, or a fact vocabulary id.")
    label: str | None = Field(None, description="What the rule votes for (may be an intermediate cue like `support`).")
    weight: float | None = None


class FeatureEvidence(_Out):
    feature: str = Field(description="Model feature: `t:`/`d:`/`b:` title/duties/body lemma, `b2:` bigram, "
                                     "`r:` rule id, `x:` experience id.")
    weight: float = Field(description="Its weight for the predicted label.")
    spans: list[Span]


class ModelOpinion(_Out):
    label: str
    confidence: float = Field(ge=0, le=1, description="Calibrated probability of `label`.")
    probabilities: dict[str, float]
    top_features: list[FeatureEvidence]


class LabelResult(_Out):
    confidence: float = Field(ge=0, le=1)
    decided_by: Literal["rule", "model", "fused"] = Field(
        description="`rule`: the rules decided; `model`: the model overrode them; `fused`: both agree.")
    reason: str | None
    evidence: list[Evidence]
    scores: dict[str, float] = Field(description="Summed rule weights per cue label.")
    rule_label: str | None = Field(None, description="What the rules alone decided (when a model is loaded).")
    model: ModelOpinion | None = Field(None, description="The model's own opinion (when a model is loaded).")


class SupportTypeResult(LabelResult):
    label: SupportType


class SeniorityResult(LabelResult):
    label: Seniority


class WorkFormatResult(LabelResult):
    label: WorkFormat


class Experience(_Out):
    id: ExperienceId = Field(description="hh.ru experience id.")
    min_years: float | None
    max_years: float | None
    required: bool
    evidence: list[Evidence]


class Fact(_Out):
    value: Any
    confidence: float = Field(ge=0, le=1)
    evidence: list[Evidence]


class LineFact(Fact):
    value: Literal[1, 2, 3]


class PositionFact(Fact):
    value: Literal["operator", "specialist", "engineer", "manager", "other"]


class AudienceFact(Fact):
    value: Literal["external", "internal"]


class VectorFact(Fact):
    value: Literal["infrastructure", "user", "product"]


class ScheduleFact(Fact):
    value: Literal["full_day", "shift", "flexible"]
    days: list[str] | None = Field(None, description="Day patterns as written: 2/2, 5/2, …")


class EmploymentFact(Fact):
    value: Literal["full", "part", "project", "internship"]


class BoolFact(Fact):
    value: bool


class StrFact(Fact):
    value: str


class StrListFact(Fact):
    value: list[str]


class Requirements(_Out):
    higher_education: bool | None = None
    languages: list[str] = Field(default_factory=list, description="ISO 639-1 codes.")
    skills: list[str] = Field(default_factory=list, description="Normalised skill ids (linux, 1c, sql, …).")


class RequirementsFact(Fact):
    value: Requirements


class Salary(_Out):
    from_: int | None = Field(None, alias="from")
    to: int | None = None
    currency: str | None = Field(None, description="ISO 4217 (RUB, USD, EUR, KZT, …).")
    gross: bool | None = Field(None, description="true = before tax, false = net, null = unknown.")
    period: Literal["month", "week", "day", "shift", "hour", "year", "project"] | None = None


class SalaryFact(Fact):
    value: Salary


class Facts(_Out):
    line: LineFact | None
    position: PositionFact | None
    salary: SalaryFact | None = None
    audience: AudienceFact | None = None
    vector: VectorFact | None = None
    schedule: ScheduleFact | None = None
    employment: EmploymentFact | None = None
    official_employment: BoolFact | None = None
    requirements: RequirementsFact | None = None
    benefits: StrListFact | None = None
    city: StrFact | None = None


class Section(Span):
    name: str


class HhId(_Out):
    id: str


class HhRole(_Out):
    id: str
    name: str | None = None


class HhSalaryRange(_Out):
    from_: int | None = Field(None, alias="from")
    to: int | None = None
    currency: str | None = Field(None, description="hh.ru currency code (RUR, USD, EUR, KZT, BYR, …).")
    gross: bool | None = None
    mode: HhId | None = None


class HhBlock(_Out):
    """The result in hh.ru's dictionaries, ready to store next to an hh.ru vacancy."""
    experience: HhId | None = None
    work_format: list[HhId] = Field(default_factory=list)
    employment_form: HhId | None = None
    work_schedule_by_days: list[HhId] | None = None
    schedule: HhId | None = Field(None, description="Legacy hh.ru schedule id.")
    salary_range: HhSalaryRange | None = None
    professional_roles: list[HhRole] = Field(default_factory=list, description="Suggested professional_roles ids.")


class Versions(_Out):
    service: str
    rules: str
    model: str | None


class ClassifyResult(_Out):
    id: str | None
    language: str = Field(description="`ru` or `en`, detected from the text.")
    support_type: SupportTypeResult
    seniority: SeniorityResult
    experience: Experience | None
    work_format: WorkFormatResult
    facts: Facts
    hh: HhBlock
    sections: list[Section]
    versions: Versions


# --- errors, meta -----------------------------------------------------------------------------------

class ErrorDetail(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """RFC 9457 problem details; branch on `type`."""

    type: str = Field(examples=["https://vactag.dev/problems/validation"])
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[ErrorDetail] | None = Field(None, description="Validation errors (422 only).")


class BatchError(BaseModel):
    id: str | None
    error: Problem


class VersionInfo(Versions):
    pass


class HhMapping(BaseModel):
    field: str = Field(description="hh.ru API field the label maps to.")
    value: str | int | None


class TaxonomyLabel(BaseModel):
    value: str
    ru: str
    en: str
    hh: HhMapping | None


class Taxonomy(BaseModel):
    support_type: list[TaxonomyLabel]
    seniority: list[TaxonomyLabel]
    work_format: list[TaxonomyLabel]
    experience: list[TaxonomyLabel]


class Health(BaseModel):
    status: Literal["ok"]
