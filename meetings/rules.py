"""Who may do what with meetings, agendas and minutes: meetings' actions, registered with the one dispatcher
`governance.permissions.can`, from the role facts governance keeps."""

from governance.permissions import is_admin, is_coordinator, is_member_of, is_secretary_of, person_of, rule

MANAGE_MEETINGS = "manage_meetings"  # plan meetings, agendas, attendance, minutes, publish: obj = Body
VIEW_MEETINGS = "view_meetings"  # see a body's meetings, agendas and draft minutes: obj = Body
JUSTERA = "justera"  # approve or comment minutes: obj = Meeting (its chair and justerare)


def is_signatory(user, meeting) -> bool:
    """The meeting's chair or one of its justerare, in person: nobody approves minutes on another's behalf, not even
    the administrator."""
    person = person_of(user)
    return person is not None and (
        meeting.chair_id == person.pk or any(p.pk == person.pk for p in meeting.adjusters.all())
    )


@rule(MANAGE_MEETINGS)
def _manage_meetings(user, body) -> bool:
    return is_admin(user) or is_secretary_of(user, body)


@rule(VIEW_MEETINGS)
def _view_meetings(user, body) -> bool:
    return is_admin(user) or is_member_of(user, body) or is_coordinator(user)


@rule(JUSTERA)
def _justera(user, meeting) -> bool:
    return is_signatory(user, meeting)
