"""One demo user per role, with a memorable password, and the table that introduces them."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction

from mirps.accounts.models import Institution, Membership, Role, Site, User

PASSWORD = "mirps-demo-2026"  # noqa: S105 - printed on purpose: demo accounts only


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    institution: str
    site: str = ""
    staff: bool = False
    first_name: str = ""
    last_name: str = ""


DEMO_USERS = (
    DemoUser("registro.sps", Role.REGISTRAR, "sreci-dgphm", "camr-sps", first_name="Karla", last_name="Mejía"),
    DemoUser("registro.omoa", Role.REGISTRAR, "sreci-dgphm", "camr-omoa", first_name="Wilmer", last_name="Paz"),
    DemoUser("registro.belen", Role.REGISTRAR, "dinaf", "canfm-belen", first_name="Suyapa", last_name="Reyes"),
    DemoUser("proteccion.sedh", Role.PROTECTION_OFFICER, "sedh", first_name="Óscar", last_name="Maradiaga"),
    DemoUser("proteccion.dinaf", Role.PROTECTION_OFFICER, "dinaf", first_name="Glenda", last_name="Zelaya"),
    DemoUser("remoto.sps", Role.REMOTE_OPERATOR, "sedh", "uar-sps", first_name="Denis", last_name="Fúnez"),
    DemoUser("enlace.sesal", Role.FOCAL_POINT, "sesal", first_name="Iris", last_name="Bonilla"),
    DemoUser("socio.acnur", Role.PARTNER, "acnur", first_name="Ana", last_name="Castillo"),
    DemoUser("coordinacion", Role.COORDINATOR, "sreci-dgphm", first_name="Mario", last_name="Velásquez"),
    DemoUser("admin", Role.ADMINISTRATOR, "sreci-dgphm", staff=True, first_name="Luis", last_name="Andino"),
    DemoUser("revision.identidad", Role.IDENTITY_REVIEWER, "sreci-dgphm", first_name="Dania", last_name="Cálix"),
    # DINAF reviews the pairs of its own centre (CANFM Belén); a pair across SRECI's and DINAF's
    # centres needs a reviewer of both, which the runs page flags to the administrator.
    DemoUser("revision.dinaf", Role.IDENTITY_REVIEWER, "dinaf", first_name="Karen", last_name="Orellana"),
)


@transaction.atomic
def demo_users_ensure() -> dict[str, User]:
    """Create the demo users that are missing; leave existing ones (and their passwords) alone."""
    out = {}
    hashed = ""
    for d in DEMO_USERS:
        user = User.objects.filter(username=d.username).first()
        if user is None:
            # One Argon2 hash for all (~0.1 s each): same password, demo accounts only.
            hashed = hashed or make_password(PASSWORD)
            user = User.objects.create(
                username=d.username, password=hashed, first_name=d.first_name, last_name=d.last_name,
                is_staff=d.staff,
            )
            user._demo_new = True  # type: ignore[attr-defined]
            Membership.objects.create(
                user=user,
                institution=Institution.objects.get(code=d.institution),
                role=d.role,
                site=Site.objects.get(code=d.site) if d.site else None,
            )
        out[d.username] = user
    return out


def users_table(users: dict[str, User] | None = None) -> str:
    """The demo users as a text table: username, role, institution, site, password.

    The password is checked for users that existed before (someone may have changed it).
    """
    labels = dict(Role.choices)
    present = users or {u.username: u for u in User.objects.filter(username__in=[d.username for d in DEMO_USERS])}
    checked: dict[str, bool] = {}
    rows = [("username", "role", "institution", "site", "password")]
    for d in DEMO_USERS:
        user = present.get(d.username)
        fresh = user is not None and getattr(user, "_demo_new", False)
        if user is not None and not fresh and user.password not in checked:
            # Same hash for all demo users: one check answers for every unchanged one.
            checked[user.password] = check_password(PASSWORD, user.password)
        if user is None:
            shown = "(missing)"
        elif fresh or checked[user.password]:
            shown = PASSWORD
        else:
            shown = "(changed since)"
        role = f"{d.role} - {labels[d.role]}" + (" + Django admin" if d.staff else "")
        rows.append((d.username, role, d.institution, d.site or "-", shown))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
