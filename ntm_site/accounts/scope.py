"""Row-level scope: the one place that says which rows of each model a user may read and write.

A user's scope (accounts.UserScope) is a role and a place: a province, district or commune,
or an organisation for a sponsor clerk. `RULES` below says, per model, the path from a row
to the administrative unit and/or the organisation it belongs to, e.g.

    "criteria.assessment":       unit "commune"
    "sponsorship.supportrecord": unit "assignment__commune", organisation "assignment__organisation"

and the functions turn (user, model, action) into a queryset filter. Every way into the
records goes through them:

- the admin (ntm_site.admin.TrackedAdmin: changelists, change pages, history, actions,
  foreign-key choices and autocompletes),
- imports (ImportGuard, called by the spreadsheet engine for every row),
- exports (they list the admin's queryset),
- reports (`restrict()`; `approved_only()` for "approved data only").

Read and write differ: a district clerk reads the whole province and writes their district;
a sponsor clerk reads the communes their organisation sponsors and writes only their
organisation's support, initiatives and activities; a viewer writes nothing.

Areas follow the 2025 reform's lineage one step: a Hà Tĩnh coordinator attached to the legacy
province also covers the new province of the same name (and the other way round), so data
of both editions stays in reach.

Superusers are not restricted. A signed-in user without a scope sees nothing.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import BooleanField, Exists, OuterRef, Q, Value
from django.utils.translation import gettext_lazy as _

from ntm_site.accounts.choices import Role
from ntm_site.value_lists import in_values

READ = "read"
WRITE = "write"
NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Rule:
    """How the rows of one model belong to places.

    unit / organisation: paths from a row to an AdministrativeUnit / Organisation ("" = the row
        itself); a row is in scope when any path leads into the user's area.
    write_unit / write_organisation: the paths that decide writes, when not the same.
    public: reference data every user with a scope reads (writes still follow the paths).
    shared_when_empty: paths whose empty value makes a row readable by every scoped user
        (an organisation with no home unit, a decision of no particular province).
    owner: path to the user who made the row; they always read it.
    owner_writes: only the owner writes the row (a saved report filter), whatever the place.
    writers: roles that write every row (shared rows of no place: the people who attend meetings).
    """

    unit: tuple[str, ...] = ()
    organisation: tuple[str, ...] = ()
    write_unit: tuple[str, ...] | None = None
    write_organisation: tuple[str, ...] | None = None
    public: bool = False
    shared_when_empty: tuple[str, ...] = ()
    owner: str = ""
    owner_writes: bool = False
    writers: tuple[str, ...] = ()

    def unit_paths(self, action):
        return self.unit if action == READ or self.write_unit is None else self.write_unit

    def organisation_paths(self, action):
        return self.organisation if action == READ or self.write_organisation is None else self.write_organisation


_MEETING_PART = {
    "unit": ("meeting__organiser__home_unit",),
    "organisation": ("meeting__organiser",),
    "write_organisation": (),
    "shared_when_empty": ("meeting__organiser__home_unit",),
}
_SPONSORED = {"unit": ("assignment__commune",), "organisation": ("assignment__organisation",)}

# model label -> Rule. A model of the project that is missing here is closed to everyone but
# superusers (ntm_site/accounts/tests/test_scope.py checks every admin model has a rule).
RULES: dict[str, Rule] = {
    # Reference data: everyone reads; provincial criteria sets are written by their province.
    "divisions.administrativeunit": Rule(unit=("",), public=True),
    "divisions.unitsuccession": Rule(unit=("successor",), public=True),
    "criteria.criteriaset": Rule(unit=("province",), public=True),
    "criteria.criterion": Rule(unit=("criteria_set__province",), public=True),
    "criteria.indicator": Rule(unit=("criterion__criteria_set__province",), public=True),
    "criteria.indicatortarget": Rule(unit=("indicator__criterion__criteria_set__province",), public=True),
    "sponsorship.supportcategory": Rule(public=True),
    "sponsorship.initiativefield": Rule(public=True),
    # Criteria records of a commune.
    "criteria.communeyear": Rule(unit=("commune",)),
    "criteria.assessment": Rule(unit=("commune",)),
    "criteria.evidence": Rule(unit=("commune_year__commune",)),
    "criteria.indicatorresult": Rule(unit=("commune_year__commune",)),
    "criteria.communeclassification": Rule(unit=("commune",)),
    "criteria.target": Rule(unit=("commune",)),
    "criteria.recognition": Rule(unit=("commune",)),
    "criteria.periodlock": Rule(unit=("province",)),
    # Sponsorship.
    "sponsorship.organisation": Rule(
        unit=("home_unit", "assignments__commune"),
        write_unit=("home_unit",),
        organisation=("",),
        write_organisation=(),
        shared_when_empty=("home_unit",),
    ),
    "sponsorship.decision": Rule(
        unit=("province",),
        organisation=("assignments__organisation",),
        write_organisation=(),
        shared_when_empty=("province",),
    ),
    "sponsorship.assignment": Rule(unit=("commune",), organisation=("organisation",), write_organisation=()),
    "sponsorship.supportrecord": Rule(**_SPONSORED),
    "sponsorship.initiative": Rule(**_SPONSORED),
    "sponsorship.activity": Rule(**_SPONSORED),
    "sponsorship.proposal": Rule(
        unit=("activity__assignment__commune",), organisation=("activity__assignment__organisation",)
    ),
    # Meetings belong where their organiser is based (an organiser of no place: every province reads them).
    "meetings.meeting": Rule(
        unit=("organiser__home_unit",),
        organisation=("organiser",),
        write_organisation=(),
        shared_when_empty=("organiser__home_unit",),
    ),
    "meetings.meetingattachment": Rule(**_MEETING_PART),
    "meetings.participation": Rule(**_MEETING_PART),
    "meetings.speech": Rule(**_MEETING_PART),
    "meetings.conclusion": Rule(**_MEETING_PART),
    "meetings.followuptask": Rule(**_MEETING_PART),
    "meetings.person": Rule(public=True, writers=(Role.PROVINCE_COORDINATOR,)),
    # Machinery and people.
    "ntm_site.importbatch": Rule(
        unit=("user__ntm_scope__unit",), organisation=("user__ntm_scope__organisation",), owner="user"
    ),
    # A saved report filter is changed and deleted by its owner only; it is read inside the owner's
    # scope (and a filter of an owner of no scope, e.g. a superuser, by everyone). The report pages list
    # those of them shared with the reader's groups (SavedFilter.objects.visible_to).
    "reports.savedfilter": Rule(
        unit=("owner__ntm_scope__unit",),
        organisation=("owner__ntm_scope__organisation",),
        write_unit=(),
        write_organisation=(),
        shared_when_empty=("owner__ntm_scope",),
        owner="owner",
        owner_writes=True,
    ),
    "accounts.userscope": Rule(unit=("unit",), organisation=("organisation",), owner="user"),
    "auth.user": Rule(unit=("ntm_scope__unit",), organisation=("ntm_scope__organisation",), owner="pk"),
}


def rule_for(model) -> Rule | None:
    return RULES.get(model._meta.label_lower)


def register(label: str, rule: Rule) -> None:
    """Add or replace the rule of a model (for apps that arrive later: meetings, reports)."""
    RULES[label.lower()] = rule


# --- areas --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """A set of places: provinces, districts and communes (each with everything below it)."""

    provinces: frozenset = frozenset()
    districts: frozenset = frozenset()
    communes: object = frozenset()  # a set of ids, or a queryset of unit ids

    @property
    def empty(self) -> bool:
        return (
            not self.provinces
            and not self.districts
            and isinstance(self.communes, frozenset | set)
            and (not self.communes)
        )

    def holds(self, unit) -> bool:
        """Whether a unit row (saved or not) lies in this area, judged by its own columns."""
        if self.empty:
            return False
        pk, parent, province = unit.pk, getattr(unit, "parent_id", None), getattr(unit, "province_id", None)
        if self.provinces and (pk in self.provinces or parent in self.provinces or province in self.provinces):
            return True
        if self.districts and (pk in self.districts or parent in self.districts):
            return True
        communes = self.communes
        if not isinstance(communes, frozenset | set):
            communes = set(communes.values_list("commune_id", flat=True))
        return pk in communes

    def q(self, path: str, pk_name: str = "pk") -> Q:
        """Rows whose unit at `path` ("" = the row itself) lies in this area."""
        if self.empty:
            return NOTHING
        if path:
            own, parent, province = path, f"{path}__parent", f"{path}__province"
        else:
            own, parent, province = pk_name, "parent", "province"
        q = Q()
        if self.provinces:
            q |= Q(**{f"{own}__in": self.provinces}) | Q(**{f"{province}__in": self.provinces})
        if self.districts:
            q |= Q(**{f"{own}__in": self.districts}) | Q(**{f"{parent}__in": self.districts})
        if not isinstance(self.communes, frozenset | set) or self.communes:
            q |= Q(**{f"{own}__in": self.communes})
        return q


def _with_lineage(unit) -> set[int]:
    """The unit and the units of the same level it became or came from (the 2025 reform's lineage)."""
    return _lineages([unit])[unit.pk]


def _lineages(units) -> dict[int, set[int]]:
    """_with_lineage of several units in one query: {unit id: ids}."""
    UnitSuccession = apps.get_model(settings.NTM_SCOPE_LINEAGE_MODEL)
    units = {u.pk: u for u in units if u is not None}
    result = {pk: {pk} for pk in units}
    pairs = UnitSuccession.objects.filter(Q(predecessor__in=units) | Q(successor__in=units)).values_list(
        "predecessor_id", "predecessor__level", "successor_id", "successor__level"
    )
    for pred, pred_level, succ, succ_level in pairs:
        for pk in {pred, succ} & units.keys():
            if pred_level == units[pk].level:
                result[pk].add(pred)
            if succ_level == units[pk].level:
                result[pk].add(succ)
    return result


def _area_of(unit, lineages=None) -> Area:
    if unit is None:
        return Area()
    ids = frozenset((lineages or {}).get(unit.pk) or _with_lineage(unit))
    if unit.level == 1:
        return Area(provinces=ids)
    if unit.level == 2:
        return Area(districts=ids)
    return Area(communes=ids)


def _province_of(unit):
    if unit is None or unit.level == 1:
        return unit
    return unit.province or unit.parent


# --- a user's scope -------------------------------------------------------------------------


class Scope:
    """What one user may read and write, computed once per request (cached on the user object)."""

    def __init__(self, user):
        self.user = user
        self.unrestricted = bool(user.is_active and user.is_superuser)
        self.record = None
        self.role = None
        self.unit = None
        self.organisation_id = None
        if self.unrestricted or not user.is_authenticated or not user.is_active:
            return
        UserScope = apps.get_model("accounts", "UserScope")
        self.record = (
            UserScope.objects.select_related("unit__province", "unit__parent", "organisation").filter(user=user).first()
        )
        if self.record is not None:
            self.role = self.record.role
            self.unit = self.record.unit
            self.organisation_id = self.record.organisation_id
        self._areas = {}
        self._lineages = None

    def __repr__(self):
        return f"<Scope {self.user} {self.role} unit={getattr(self.unit, 'pk', None)} org={self.organisation_id}>"

    @property
    def is_sponsor(self) -> bool:
        return self.role == Role.SPONSOR_CLERK

    def area(self, action: str) -> Area:
        """The places whose rows the user may read or write (unit roles)."""
        if action not in self._areas:
            self._areas[action] = self._compute_area(action)
        return self._areas[action]

    def _compute_area(self, action):
        role = self.role
        if role is None:
            return Area()
        if role == Role.SPONSOR_CLERK:
            if action == WRITE:
                return Area()
            Assignment = apps.get_model(settings.NTM_SCOPE_ASSIGNMENT_MODEL)
            communes = Assignment.objects.filter(organisation_id=self.organisation_id).values("commune_id")
            return Area(communes=communes)
        if role == Role.VIEWER and action == WRITE:
            return Area()
        if self._lineages is None:
            # Both places a user may need (their unit, and a district clerk's province) in one query.
            self._lineages = _lineages([self.unit, _province_of(self.unit)])
        if role == Role.DISTRICT_CLERK and action == READ:
            return _area_of(_province_of(self.unit), self._lineages)
        return _area_of(self.unit, self._lineages)

    def describe(self) -> str:
        """Where the user works, for messages ("Huyện Kỳ Anh", "Sở Nông nghiệp và PTNT")."""
        if self.record is None:
            return str(_("chưa được giao phạm vi"))
        return str(self.record.place)

    # --- filters ---------------------------------------------------------------------

    def q(self, model, action: str, *, pk_name: str = "pk", multi_ok: bool = True) -> Q | None:
        """The filter of `model` rows in scope for `action`; None means every row.

        With multi_ok=False, paths through many-valued relations are left out (historical
        tables have none: a deleted row is judged by its own columns).
        """
        if self.unrestricted:
            return None
        rule = rule_for(model)
        if rule is None or self.role is None:
            return NOTHING
        if rule.public and action == READ:
            return None
        if action == WRITE and self.role in rule.writers:
            return None
        if action == WRITE and rule.owner_writes:
            return Q(**{rule.owner: self.user.pk})
        q = Q()
        matched = False
        if self.is_sponsor:
            paths = rule.organisation_paths(action)
            if paths:
                for path in paths:
                    if multi_ok or not _is_multi(model, path):
                        q |= Q(**{f"{path}__in" if path else f"{pk_name}__in": [self.organisation_id]})
                        matched = True
            elif action == READ:
                area = self.area(READ)
                for path in rule.unit:
                    if multi_ok or not _is_multi(model, path):
                        q |= area.q(path, pk_name)
                        matched = True
        else:
            area = self.area(action)
            for path in rule.unit_paths(action):
                if multi_ok or not _is_multi(model, path):
                    q |= area.q(path, pk_name)
                    matched = True
        if action == READ:
            for path in rule.shared_when_empty:
                q |= Q(**{f"{path}__isnull": True})
                matched = True
            if rule.owner:
                q |= Q(**{rule.owner: self.user.pk})
                matched = True
        return q if matched else NOTHING

    def can_write_any(self, model) -> bool:
        """Whether any row of `model` could be in the user's write scope (hides "add" when not)."""
        if self.unrestricted:
            return True
        rule = rule_for(model)
        if rule is None or self.role is None:
            return False
        if self.role in rule.writers or rule.owner_writes:
            return True
        if self.is_sponsor:
            return bool(rule.organisation_paths(WRITE))
        return bool(rule.unit_paths(WRITE)) and not self.area(WRITE).empty


def get_scope(user) -> Scope:
    """The user's Scope, computed once per user object (one request)."""
    scope = getattr(user, "_ntm_scope_cache", None)
    if scope is None:
        scope = Scope(user)
        with contextlib.suppress(AttributeError):  # AnonymousUser is fine to recompute
            user._ntm_scope_cache = scope
    return scope


def forget(user) -> None:
    """Drop the cached scope (after the user's scope changed in this request or test)."""
    if hasattr(user, "_ntm_scope_cache"):
        del user._ntm_scope_cache


def _is_multi(model, path: str) -> bool:
    """Whether `path` crosses a one-to-many or many-to-many relation (duplicates rows when joined)."""
    if not path:
        return False
    opts = model._meta
    for part in path.split("__"):
        try:
            field = opts.get_field(part)
        except FieldDoesNotExist:
            return False
        if field.one_to_many or field.many_to_many:
            return True
        if not field.is_relation:
            return False
        opts = field.related_model._meta
    return False


def _has_multi(model, q_paths) -> bool:
    return any(_is_multi(model, p) for p in q_paths)


# --- the public API -------------------------------------------------------------------------


def restrict(queryset, user, action: str = READ):
    """`queryset` cut to the rows `user` may read (or write): what every list, export and report shows."""
    scope = get_scope(user)
    q = scope.q(queryset.model, action)
    if q is None:
        return queryset
    if q == NOTHING:
        return queryset.none()
    rule = rule_for(queryset.model)
    paths = (*rule.unit, *rule.organisation) if rule else ()
    if _has_multi(queryset.model, paths):
        # A row reached through several related rows would be listed once per related row.
        return queryset.filter(pk__in=queryset.model._default_manager.filter(q).values("pk"))
    return queryset.filter(q)


def allows(user, obj, action: str = WRITE) -> bool:
    """Whether `user` may read/write this saved row (a deleted one is judged by its last history row)."""
    scope = get_scope(user)
    if scope.unrestricted:
        return True
    if obj.pk is None:
        return not fk_problems(user, obj)
    model = type(obj)._meta.concrete_model
    cache = _request_cache(user)
    key = (model._meta.label_lower, obj.pk, action)
    if key not in cache:
        manager = model._default_manager
        # The usual answer (a row in scope) takes one query; only a refusal asks whether the row still exists.
        if restrict(manager.filter(pk=obj.pk), user, action).exists():
            cache[key] = True
        elif manager.filter(pk=obj.pk).exists():
            cache[key] = False
        else:
            cache[key] = _deleted_allows(scope, model, obj.pk, action)
    return cache[key]


WRITABLE = "_ntm_writable"


def with_write_answer(queryset, user):
    """`queryset` (rows `user` may read: restrict(..., READ)) with each row saying whether `user` may also
    write it, in the same query: a change page's row then answers allows() for reading and writing without
    a query each (remember_answers)."""
    if get_scope(user).unrestricted:
        return queryset
    model = queryset.model._meta.concrete_model
    writable = restrict(model._default_manager.filter(pk=OuterRef("pk")), user, WRITE)
    answer = Value(False, output_field=BooleanField()) if writable.query.is_empty() else Exists(writable)
    return queryset.annotate(**{WRITABLE: answer})


def remember_answers(user, obj) -> None:
    """allows(user, obj, READ / WRITE) answered from a row read through with_write_answer()."""
    if obj is None or WRITABLE not in obj.__dict__:
        return
    cache = _request_cache(user)
    label = type(obj)._meta.concrete_model._meta.label_lower
    cache[(label, obj.pk, READ)] = True
    cache[(label, obj.pk, WRITE)] = bool(obj.__dict__[WRITABLE])


def forget_object(user, obj) -> None:
    """Drop cached answers about one row (after it changed)."""
    cache = _request_cache(user)
    label = type(obj)._meta.concrete_model._meta.label_lower
    for key in [k for k in cache if k[0] == label and k[1] == obj.pk]:
        del cache[key]


def _request_cache(user) -> dict:
    cache = getattr(user, "_ntm_allows_cache", None)
    if cache is None:
        cache = {}
        with contextlib.suppress(AttributeError):
            user._ntm_allows_cache = cache
    return cache


def history_model_of(model):
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None) if manager is not None else None


def _deleted_allows(scope, model, pk, action) -> bool:
    """A row that no longer exists: judge its last historical row by the same rule."""
    hmodel = history_model_of(model)
    if hmodel is None:
        return False
    pk_name = model._meta.pk.attname
    latest = hmodel.objects.filter(**{pk_name: pk}).order_by("-history_date", "-history_id")[:1]
    rows = hmodel.objects.filter(history_id__in=latest.values("history_id"))
    return restrict_history(rows, scope.user, model, action).exists()


def restrict_history(queryset, user, model, action: str = READ):
    """Historical rows of `model` whose recorded columns put them in the user's scope."""
    scope = get_scope(user)
    q = scope.q(model, action, pk_name=model._meta.pk.attname, multi_ok=False)
    if q is None:
        return queryset
    if q == NOTHING:
        return queryset.none()
    return queryset.filter(q)


def readable_places(user, level: int):
    """The provinces (level 1) or districts (level 2) whose records `user` may read, as a queryset of units.

    What a changelist's province and district filters offer: a commune clerk of Xã Hương Liên
    gets Tỉnh Hà Tĩnh (both editions: the lineage rule above) and Huyện Hương Khê, a sponsor
    clerk the places of the communes their organisation sponsors; superusers get every one.
    One query over the unit tables (the commune ids of a sponsor come in as a subquery).
    """
    Unit = apps.get_model(settings.NTM_SCOPE_UNIT_MODEL)
    UnitSuccession = apps.get_model(settings.NTM_SCOPE_LINEAGE_MODEL)
    units = Unit._default_manager.filter(level=level)
    scope = get_scope(user)
    if scope.unrestricted:
        return units
    area = scope.area(READ) if scope.role is not None else Area()
    if area.empty:
        return units.none()
    q = Q()
    if area.provinces:
        q |= Q(pk__in=area.provinces) if level == 1 else Q(province_id__in=area.provinces)
    if area.districts:
        districts = Unit._default_manager.filter(pk__in=area.districts)
        q |= Q(pk__in=area.districts) if level == 2 else Q(pk__in=districts.values("province_id"))
    if not isinstance(area.communes, frozenset | set) or area.communes:
        communes = Unit._default_manager.filter(pk__in=area.communes)
        q |= Q(pk__in=communes.values("province_id" if level == 1 else "parent_id"))
    own = Unit._default_manager.filter(q, level=level).values("pk")
    lineage = Q(pk__in=UnitSuccession.objects.filter(predecessor__in=own).values("successor")) | Q(
        pk__in=UnitSuccession.objects.filter(successor__in=own).values("predecessor")
    )
    return units.filter(q | lineage)


# --- foreign keys: what a form, an autocomplete or an import may point at ----------------------


def choices_q(user, model, field_name: str, action: str = WRITE) -> Q | None:
    """The filter on the target of `model.field_name` that keeps a new or changed row in scope.

    Derived from the rule: "assignment__commune" through field "assignment" leaves "commune" on
    the Assignment; "commune" through field "commune" leaves "" (the unit itself). None when no
    write path goes through the field (any target the user can read will do).
    """
    scope = get_scope(user)
    if scope.unrestricted:
        return None
    rule = rule_for(model)
    if rule is None or scope.role is None:
        return NOTHING
    try:
        field = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return None
    if not (field.many_to_one or field.one_to_one) or field.related_model is None:
        return None
    target = field.related_model
    if action == WRITE and scope.role in rule.writers:
        return None
    paths = rule.organisation_paths(action) if scope.is_sponsor else rule.unit_paths(action)
    if not paths:
        return NOTHING
    rests = []
    for path in paths:
        if path == field_name:
            rests.append("")
        elif path.startswith(field_name + "__"):
            rests.append(path[len(field_name) + 2 :])
        else:
            return None  # the row can be in scope through another path: nothing to require of this field
    q = Q()
    for rest in rests:
        if scope.is_sponsor:
            q |= Q(**{f"{rest}__in" if rest else "pk__in": [scope.organisation_id]})
        else:
            q |= scope.area(action).q(rest)
    if _has_multi(target, rests):
        return Q(pk__in=target._default_manager.filter(q).values("pk"))
    return q


def limit_choices(queryset, user, model, field_name: str):
    """The targets a form field of `model.field_name` may offer: readable, and keeping the row writable."""
    queryset = restrict(queryset, user, READ)
    q = choices_q(user, model, field_name, WRITE)
    if q is None:
        return queryset
    if q == NOTHING:
        return queryset.none()
    return queryset.filter(q)


def scope_fields(user, model) -> list[str]:
    """The foreign keys of `model` that decide whether a row is in the user's write scope."""
    scope = get_scope(user)
    rule = rule_for(model)
    if scope.unrestricted or rule is None:
        return []
    paths = rule.organisation_paths(WRITE) if scope.is_sponsor else rule.unit_paths(WRITE)
    return sorted({p.split("__", 1)[0] for p in paths if p})


def fk_problems(user, obj) -> dict[str, str]:
    """{field: message} for each scope-deciding foreign key of an unsaved (or changed) row that is out of scope."""
    model = type(obj)
    problems = {}
    for name in scope_fields(user, model):
        field = model._meta.get_field(name)
        value = getattr(obj, field.attname)
        q = choices_q(user, model, name, WRITE)
        if q is None:
            continue
        target = field.related_model
        if value is None or q == NOTHING or not target._default_manager.filter(q, pk=value).exists():
            problems[name] = out_of_scope_message(user, field, value)
    return problems


def out_of_scope_message(user, field, value) -> str:
    target = field.related_model
    shown = target._default_manager.filter(pk=value).first() if value is not None else None
    return str(
        _("{what} “{value}” nằm ngoài phạm vi được giao cho bạn ({scope}).").format(
            what=str(field.verbose_name)[:1].upper() + str(field.verbose_name)[1:],
            value=shown if shown is not None else "—",
            scope=get_scope(user).describe(),
        )
    )


class ImportGuard:
    """Refuses imported rows that would write outside the importing user's scope.

    The spreadsheet engine asks it about every row it is going to write (new or changed),
    with the row as it will be written, and about existing rows before they change; a refused
    row is an error naming its row and column, so the import writes nothing.
    """

    def __init__(self, user, model):
        self.user = user
        self.model = model
        self.scope = get_scope(user) if user is not None else None
        self.active = self.scope is not None and not self.scope.unrestricted
        self.fields = scope_fields(user, model) if self.active else []
        self._allowed = {}
        self._existing = {}
        self._rules = None

    def _allowed_ids(self, name):
        if name not in self._allowed:
            field = self.model._meta.get_field(name)
            q = choices_q(self.user, self.model, name, WRITE)
            target = field.related_model._default_manager
            if q is None:
                self._allowed[name] = None
            elif q == NOTHING:
                self._allowed[name] = set()
            else:
                self._allowed[name] = set(target.filter(q).values_list("pk", flat=True))
        return self._allowed[name]

    def check_existing(self, objs) -> set:
        """The primary keys among `objs` (rows already in the database) the user may not change."""
        if not self.active:
            return set()
        attname = self.model._meta.pk.attname
        keys = [o.__dict__[attname] for o in objs]  # not `o.pk`: a property call per row, 95,000 rows per import
        known = self._existing
        pks = [pk for pk in keys if pk is not None and pk not in known]
        if pks:
            pk_in = in_values(self.model, self.model._meta.pk.attname, pks)  # one array on PostgreSQL
            rows = restrict(self.model._default_manager.filter(pk_in), self.user, WRITE)
            writable = set(rows.order_by().values_list("pk", flat=True))
            for pk in pks:
                self._existing[pk] = pk in writable
        return {pk for pk in keys if pk is not None and not known.get(pk, True)}

    def problems(self, obj) -> dict[str, str]:
        """{field name: message} if the row as it will be written is out of the user's write scope."""
        if not self.active:
            return {}
        if self._rules is None:
            self._rules = self._judged_once()
        may_write, is_unit_row, checks = self._rules
        if not may_write:
            return {
                "__all__": str(
                    _("Bạn không có quyền ghi {what} ({scope}).").format(
                        what=self.model._meta.verbose_name_plural, scope=self.scope.describe()
                    )
                )
            }
        problems = {}
        if is_unit_row and not self.scope.area(WRITE).holds(obj):
            # The row is itself a unit (a unit added by import): judged by where it sits.
            problems["__all__"] = str(
                _("“{unit}” nằm ngoài phạm vi được giao cho bạn ({scope}).").format(
                    unit=getattr(obj, "name", obj.pk), scope=self.scope.describe()
                )
            )
        d = obj.__dict__
        for name, field, allowed in checks:
            value = d[field.attname] if field.attname in d else getattr(obj, field.attname)
            if value not in allowed:
                problems[name] = out_of_scope_message(self.user, field, value)
        return problems

    def _judged_once(self):
        """What `problems` asks of every row that does not depend on the row (an import asks it 95,000 times)."""
        may_write = self.scope.can_write_any(self.model)
        is_unit_row = may_write and not self.scope.is_sponsor and "" in rule_for(self.model).unit_paths(WRITE)
        checks = []
        for name in self.fields:
            allowed = self._allowed_ids(name)
            if allowed is not None:
                checks.append((name, self.model._meta.get_field(name), allowed))
        return may_write, is_unit_row, checks

    def refusals(self, new_objs, changed_objs) -> dict[int, dict[str, str]]:
        """{id(obj): {field name or "__all__": message}} for rows of a chunk that may not be written.

        `changed_objs` already carry the imported values; the database still holds what they were,
        and both must be the user's to write. Rows of an approved commune-year are refused too.
        """
        from ntm_site.accounts import approval

        refusals = {}
        if self.active:
            foreign = self.check_existing(changed_objs)
            for obj in changed_objs if foreign else ():
                if obj.pk in foreign:
                    refusals[id(obj)] = {"__all__": existing_refusal(self.model, obj, self.user)}
            for obj in [*new_objs, *changed_objs]:
                if id(obj) not in refusals:
                    problems = self.problems(obj)
                    if problems:
                        refusals[id(obj)] = problems
        rest = [o for o in [*new_objs, *changed_objs] if id(o) not in refusals]
        for key, message in approval.import_refusals(self.user, self.model, rest).items():
            refusals[key] = {"__all__": message}
        return refusals

    def check(self, obj) -> None:
        problems = self.problems(obj)
        if problems:
            raise ValidationError(problems)


def existing_refusal(model, obj, user) -> str:
    stored = model._default_manager.filter(pk=obj.pk).first()
    return str(
        _("{what} “{record}” đã có và thuộc phạm vi khác: bạn ({scope}) không được sửa.").format(
            what=str(model._meta.verbose_name)[:1].upper() + str(model._meta.verbose_name)[1:],
            record=stored if stored is not None else obj,
            scope=get_scope(user).describe(),
        )
    )
