"""Signals the desk sends for others to hear (webhooks, email notices). The claims app sends
them and never knows who listens: apps and modules that want them connect in an
AppConfig.ready. Each is sent with send_robust (claims.services._announce): a listener that
fails is logged and neither undoes the write nor stops the other listeners.
"""

from django.dispatch import Signal

# A digest (or a correction: a digest with `corrects` set) was published and the publication
# committed. Sent from claims.services.publish_digest through transaction.on_commit, so never
# for a publication that was rolled back. Arguments: `digest` (the published Digest).
digest_published = Signal()

# The signals below are sent during the write, inside its transaction, so that a listener
# knows the circumstances of the write (claims.notices.paused). A listener that acts outside
# the database (an email) waits for the commit itself (transaction.on_commit), which never
# comes for a write rolled back; one that writes must not break the transaction.

# A verdict waits for a second editor: just proposed (`propose_verdict`), or an approved
# verdict put back in review because its claim changed (`reopened=True`). Arguments: `verdict`,
# `actor` (who proposed it, or who changed the claim), `reopened`.
verdict_awaits_review = Signal()

# A reviewer sent a verdict back to its proposer. Arguments: `verdict` (with `reviewed_by` and
# `review_comment`), `actor` (the reviewer).
verdict_sent_back = Signal()

# A published claim was changed after the digest that published it (the first change since that
# publication: from then on it waits for a correction, claims.waiting.corrections). Arguments:
# `claim`, `actor` (who changed it).
correction_needed = Signal()
