"""Signals the desk sends for others to hear (webhooks, say). The claims app sends them and
never knows who listens: apps that want them connect in their AppConfig.ready.
"""

from django.dispatch import Signal

# A digest (or a correction: a digest with `corrects` set) was published and the publication
# committed. Sent from claims.services.publish_digest through transaction.on_commit, so never
# for a publication that was rolled back. Arguments: `digest` (the published Digest).
digest_published = Signal()
