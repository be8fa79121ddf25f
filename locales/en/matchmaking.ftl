# Matchmaking: one-to-one meetings at events.
nav-matchmaking = Matchmaking

mm-sector-biomedicine = Biomedicine
mm-sector-medical-devices = Medical devices
mm-sector-health-services = Health services
mm-sector-trade-logistics = Trade and logistics
mm-sector-investment = Investment
mm-topic-product = Product
mm-topic-service = Service
mm-topic-partnership = Partnership
mm-topic-investment = Investment
mm-topic-research = R&D cooperation
mm-side-offer = Offers
mm-side-need = Needs
mm-status-requested = Requested
mm-status-accepted = Accepted
mm-status-declined = Declined
mm-status-cancelled = Cancelled
mm-attendance-both-present = Both present
mm-attendance-requester-absent = Requester absent
mm-attendance-invitee-absent = Invitee absent
mm-attendance-no-show = Neither came
mm-outcome-follow-up = Follow-up wanted
mm-outcome-nda = NDA
mm-outcome-samples = Sample exchange
mm-outcome-quotation = Quotation
mm-outcome-investment-intent = Investment intent
mm-outcome-no-interest = No further interest

mm-too-many = At most { $max } here.
mm-window-outside = A meeting window must lie within one of the event's sessions.
mm-window-short = This window is shorter than one meeting ({ $minutes } minutes).
mm-table-number = Give each table its own number from 1 to 999.
mm-table-room = Tables stand in the rooms of the event's sessions.
mm-setup-locked = { $placed } meetings are already placed: the meeting length, breaks and windows cannot change until they are cancelled.
mm-table-in-use = Table { $number } has meetings to come: it cannot be removed or made smaller.
mm-one-language = Give this in at least one language.
mm-unknown-person = This participant is not in the event's catalogue.
mm-not-yourself = You cannot ask yourself for a meeting.
mm-already-asked = A meeting between you two is already requested or arranged.
mm-request-limit = You have sent { $limit } requests, the most this event allows: wait for answers or withdraw one.
mm-only-invitee = Only the person asked can accept or decline.
mm-transition = This meeting has already been answered or cancelled, so it cannot change that way.
mm-event-over = Meetings can no longer be asked or changed for this event.
mm-slot-taken = That time was just taken: please try again.
mm-not-placed = This meeting has no time and table yet.
mm-outcome-early = An outcome can be recorded once the meeting has started.

mm-mail-request = { $who } asks to meet you at { $event }
mm-mail-request-body = { $who } would like a one-to-one meeting with you at { $event }. Their message: { $text }
    Accept or decline on your matchmaking page:
mm-mail-accepted = Meeting accepted: { $who }
mm-mail-accepted-body = Your meeting with { $who } at { $event } is agreed. Its time and table will be set soon; you will get another e-mail. Your agenda:
mm-mail-placed = Meeting { $when }, table { $table }: { $who }
mm-mail-placed-body = Your meeting with { $who } at { $event } is at { $when }, table { $table }. Your agenda (with a calendar file):
mm-mail-declined = Meeting declined: { $who }
mm-mail-declined-body = { $who } cannot meet you at { $event }. { $text }
    Other participants who may suit you are on your matchmaking page:
mm-mail-cancelled = Meeting cancelled: { $who }
mm-mail-cancelled-body = Your meeting with { $who } at { $event } ({ $when }) is cancelled. { $text }
    Your matchmaking page:
