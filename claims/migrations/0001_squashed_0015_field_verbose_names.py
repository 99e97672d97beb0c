"""The claims app's tables as its migrations up to 0015_field_verbose_names leave them, in one
migration. A new database is made from this one in a fraction of the time: each field
renamed by the last of them (verbose names only) had Django build its models again.
A database made by the migrations it replaces is taken as having applied it; they stay
until every desk has applied them."""

import django.db.models.deletion
import simple_history.models
import sources.models
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

EDITOR_PERMS = [
    ("sources", "add_article"), ("sources", "change_article"), ("sources", "view_article"),
    ("sources", "add_source"), ("sources", "change_source"), ("sources", "view_source"),
    ("claims", "add_claim"), ("claims", "change_claim"), ("claims", "view_claim"),
    ("claims", "add_evidence"), ("claims", "change_evidence"), ("claims", "delete_evidence"),
    ("claims", "view_evidence"),
    ("claims", "add_verdict"), ("claims", "view_verdict"),
    ("claims", "view_digest"), ("claims", "view_digestentry"),
]
REVIEWER_PERMS = EDITOR_PERMS + [
    ("claims", "approve_verdict"), ("claims", "change_verdict"),
    ("claims", "add_digest"), ("claims", "change_digest"), ("claims", "publish_digest"),
    ("claims", "add_digestentry"), ("claims", "change_digestentry"),
    ("claims", "delete_digestentry"),
]


def make_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        # create_permissions skips an app without a models module, which a migration's app
        # configs never have; the value is put back (tests call this on the real registry).
        previous = getattr(app_config, "models_module", None)
        app_config.models_module = previous or True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = previous
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in (("Editors", EDITOR_PERMS), ("Reviewers", REVIEWER_PERMS)):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('claims', '0001_initial'),
        ('claims', '0002_roles'),
        ('claims', '0003_review_key'),
        ('claims', '0004_assistant_index'),
        ('claims', '0005_claimant'),
        ('claims', '0006_source_stance'),
        ('claims', '0007_notice_settings'),
        ('claims', '0008_claim_assignee'),
        ('claims', '0009_model_names'),
        ('claims', '0010_translated_labels'),
        ('claims', '0011_notice_language'),
        ('claims', '0012_claim_published_at'),
        ('claims', '0013_claim_created_at'),
        ('claims', '0014_known_claim_article_index'),
        ('claims', '0015_field_verbose_names'),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('sources', '0008_field_verbose_names'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='GlossaryEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('term', models.CharField(help_text='The alias as articles write it, in either script: 川普', max_length=100, unique=True, verbose_name='term')),
                ('canonical', models.CharField(help_text='The name the desk compares it as: 特朗普', max_length=100, verbose_name='canonical')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
            ],
            options={
                'verbose_name': 'glossary entry (alias)',
                'verbose_name_plural': 'glossary (aliases)',
                'ordering': ['canonical', 'term'],
            },
            bases=(sources.models.PlainText, models.Model),
        ),
        migrations.CreateModel(
            name='Claim',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(verbose_name='text')),
                ('gloss', models.CharField(blank=True, max_length=500, verbose_name='English gloss')),
                ('claimant', models.CharField(blank=True, max_length=200, verbose_name='claimed by')),
                ('claimant_kind', models.CharField(choices=[('person', 'a person'), ('organization', 'an organization or outlet')], default='organization', max_length=12, verbose_name='the claimant is')),
                ('claimed_on', models.DateField(blank=True, null=True, verbose_name='claimed on')),
                ('review_key', models.CharField(blank=True, db_index=True, editable=False, max_length=100, verbose_name='review key')),
                ('search_text', models.TextField(editable=False, verbose_name='search text')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('published_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='published at')),
                ('assignee', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='assigned_claims', to=settings.AUTH_USER_MODEL, verbose_name='assigned to')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('first_appearance', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='sources.article', verbose_name='first appeared in')),
            ],
            options={
                'verbose_name': 'claim',
                'verbose_name_plural': 'claims',
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='Digest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(allow_unicode=True, max_length=200, unique=True, verbose_name='slug')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('intro', models.TextField(blank=True, verbose_name='intro')),
                ('version', models.PositiveIntegerField(default=1, verbose_name='version')),
                ('correction_note', models.TextField(blank=True, verbose_name='correction note')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('published_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='published at')),
                ('corrects', models.OneToOneField(blank=True, help_text='The published version this one corrects.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='corrected_by', to='claims.digest', verbose_name='corrects')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('published_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='published by')),
            ],
            options={
                'verbose_name': 'digest',
                'verbose_name_plural': 'digests',
                'ordering': ['-published_at', '-id'],
                'permissions': [('publish_digest', 'Can publish digests')],
            },
        ),
        migrations.CreateModel(
            name='DigestEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField(default=0, verbose_name='position')),
                ('rating', models.CharField(blank=True, choices=[('confirmed', 'Confirmed'), ('disputed', 'Disputed'), ('rumour', 'Rumour (unverified)'), ('false', 'False')], max_length=10, verbose_name='rating')),
                ('text', models.TextField(blank=True, verbose_name='text')),
                ('search_text', models.TextField(blank=True, editable=False, verbose_name='search text')),
                ('snapshot', models.JSONField(blank=True, default=dict, verbose_name='snapshot')),
                ('articles', models.ManyToManyField(blank=True, related_name='+', to='sources.article', verbose_name='articles')),
                ('claim', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='digest_entries', to='claims.claim', verbose_name='claim')),
                ('digest', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='entries', to='claims.digest', verbose_name='digest')),
            ],
            options={
                'verbose_name': 'digest entry',
                'verbose_name_plural': 'digest entries',
                'ordering': ['digest_id', 'position', 'id'],
            },
        ),
        migrations.AddField(
            model_name='claim',
            name='published_entry',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='claims.digestentry', verbose_name='published entry'),
        ),
        migrations.CreateModel(
            name='Evidence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stance', models.CharField(choices=[('supports', 'Supports'), ('contradicts', 'Contradicts'), ('context', 'Context'), ('source', 'Where it is claimed')], default='supports', max_length=12, verbose_name='stance')),
                ('start', models.PositiveIntegerField(blank=True, null=True, verbose_name='start')),
                ('end', models.PositiveIntegerField(blank=True, null=True, verbose_name='end')),
                ('quote', models.TextField(blank=True, verbose_name='quote')),
                ('url', models.URLField(blank=True, max_length=1000, verbose_name='url')),
                ('citation_title', models.CharField(blank=True, max_length=500, verbose_name='citation title')),
                ('publisher', models.CharField(blank=True, max_length=200, verbose_name='publisher')),
                ('cited_on', models.DateField(blank=True, null=True, verbose_name='cited on')),
                ('note', models.TextField(blank=True, help_text='What the article says of the citation.', verbose_name='note')),
                ('added_at', models.DateTimeField(auto_now_add=True, verbose_name='added at')),
                ('added_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='added by')),
                ('article', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='evidence', to='sources.article', verbose_name='article')),
                ('cited_in', models.ForeignKey(blank=True, help_text='The article that names this outside citation.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='citations', to='sources.article', verbose_name='cited in')),
                ('claim', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evidence', to='claims.claim', verbose_name='claim')),
            ],
            options={
                'verbose_name': 'evidence',
                'verbose_name_plural': 'evidence',
                'ordering': ['claim_id', 'article_id', 'start', 'id'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalClaim',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('text', models.TextField(verbose_name='text')),
                ('gloss', models.CharField(blank=True, max_length=500, verbose_name='English gloss')),
                ('claimant', models.CharField(blank=True, max_length=200, verbose_name='claimed by')),
                ('claimant_kind', models.CharField(choices=[('person', 'a person'), ('organization', 'an organization or outlet')], default='organization', max_length=12, verbose_name='the claimant is')),
                ('claimed_on', models.DateField(blank=True, null=True, verbose_name='claimed on')),
                ('review_key', models.CharField(blank=True, db_index=True, editable=False, max_length=100, verbose_name='review key')),
                ('search_text', models.TextField(editable=False, verbose_name='search text')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='updated at')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('published_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='published at')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('assignee', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='assigned to')),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('first_appearance', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='sources.article', verbose_name='first appeared in')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('published_entry', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='claims.digestentry', verbose_name='published entry')),
            ],
            options={
                'verbose_name': 'historical claim',
                'verbose_name_plural': 'historical claims',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalEvidence',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('stance', models.CharField(choices=[('supports', 'Supports'), ('contradicts', 'Contradicts'), ('context', 'Context'), ('source', 'Where it is claimed')], default='supports', max_length=12, verbose_name='stance')),
                ('start', models.PositiveIntegerField(blank=True, null=True, verbose_name='start')),
                ('end', models.PositiveIntegerField(blank=True, null=True, verbose_name='end')),
                ('quote', models.TextField(blank=True, verbose_name='quote')),
                ('url', models.URLField(blank=True, max_length=1000, verbose_name='url')),
                ('citation_title', models.CharField(blank=True, max_length=500, verbose_name='citation title')),
                ('publisher', models.CharField(blank=True, max_length=200, verbose_name='publisher')),
                ('cited_on', models.DateField(blank=True, null=True, verbose_name='cited on')),
                ('note', models.TextField(blank=True, help_text='What the article says of the citation.', verbose_name='note')),
                ('added_at', models.DateTimeField(blank=True, editable=False, verbose_name='added at')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('added_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='added by')),
                ('article', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='sources.article', verbose_name='article')),
                ('cited_in', models.ForeignKey(blank=True, db_constraint=False, help_text='The article that names this outside citation.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='sources.article', verbose_name='cited in')),
                ('claim', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='claims.claim', verbose_name='claim')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical evidence',
                'verbose_name_plural': 'historical evidence',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalVerdict',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('rating', models.CharField(choices=[('confirmed', 'Confirmed'), ('disputed', 'Disputed'), ('rumour', 'Rumour (unverified)'), ('false', 'False')], max_length=10, verbose_name='rating')),
                ('rationale', models.TextField(verbose_name='rationale')),
                ('status', models.CharField(choices=[('proposed', 'Proposed'), ('approved', 'Approved'), ('sent_back', 'Sent back'), ('superseded', 'Superseded')], default='proposed', max_length=10, verbose_name='status')),
                ('proposed_at', models.DateTimeField(blank=True, editable=False, verbose_name='proposed at')),
                ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='reviewed at')),
                ('review_comment', models.TextField(blank=True, verbose_name='review comment')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('claim', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='claims.claim', verbose_name='claim')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('proposed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='proposed by')),
                ('reviewed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewed by')),
            ],
            options={
                'verbose_name': 'historical verdict',
                'verbose_name_plural': 'historical verdicts',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='KnownClaim',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('start', models.PositiveIntegerField(verbose_name='start')),
                ('end', models.PositiveIntegerField(verbose_name='end')),
                ('score', models.FloatField(verbose_name='score')),
                ('found_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='found at')),
                ('article', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='sources.article', verbose_name='article')),
                ('claim', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='claims.claim', verbose_name='claim')),
            ],
            options={
                'verbose_name': 'known claim',
                'verbose_name_plural': 'known claims',
                'ordering': ['-found_at', 'article_id', 'start'],
            },
        ),
        migrations.CreateModel(
            name='NoticeSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('enabled', models.BooleanField(default=True, verbose_name='Receive e-mail notices')),
                ('review', models.BooleanField(default=True, verbose_name='A verdict waits for my review')),
                ('sent_back', models.BooleanField(default=True, verbose_name='My verdict was sent back')),
                ('correction', models.BooleanField(default=True, verbose_name='A published claim changed and needs a correction')),
                ('import_done', models.BooleanField(default=True, verbose_name='An import I started has finished')),
                ('language', models.CharField(blank=True, choices=[('zh-hans', '简体中文'), ('zh-hant', '繁體中文（台灣）'), ('zh-hant-hk', '繁體中文（香港）'), ('en', 'English')], max_length=16, verbose_name='Language of the e-mails')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='notice_settings', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'notice settings',
                'verbose_name_plural': 'notice settings',
            },
        ),
        migrations.CreateModel(
            name='Passage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('start', models.PositiveIntegerField(verbose_name='start')),
                ('end', models.PositiveIntegerField(verbose_name='end')),
                ('words', models.TextField(blank=True, verbose_name='words')),
                ('names', models.TextField(blank=True, verbose_name='names')),
                ('figures', models.JSONField(blank=True, default=list, verbose_name='figures')),
                ('hedged', models.BooleanField(default=False, verbose_name='hedged')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='sources.article', verbose_name='article')),
            ],
            options={
                'verbose_name': 'passage',
                'verbose_name_plural': 'passages',
                'ordering': ['article_id', 'start'],
            },
        ),
        migrations.CreateModel(
            name='Verdict',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('rating', models.CharField(choices=[('confirmed', 'Confirmed'), ('disputed', 'Disputed'), ('rumour', 'Rumour (unverified)'), ('false', 'False')], max_length=10, verbose_name='rating')),
                ('rationale', models.TextField(verbose_name='rationale')),
                ('status', models.CharField(choices=[('proposed', 'Proposed'), ('approved', 'Approved'), ('sent_back', 'Sent back'), ('superseded', 'Superseded')], default='proposed', max_length=10, verbose_name='status')),
                ('proposed_at', models.DateTimeField(auto_now_add=True, verbose_name='proposed at')),
                ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='reviewed at')),
                ('review_comment', models.TextField(blank=True, verbose_name='review comment')),
                ('claim', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='verdicts', to='claims.claim', verbose_name='claim')),
                ('proposed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='proposed_verdicts', to=settings.AUTH_USER_MODEL, verbose_name='proposed by')),
                ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reviewed_verdicts', to=settings.AUTH_USER_MODEL, verbose_name='reviewed by')),
            ],
            options={
                'verbose_name': 'verdict',
                'verbose_name_plural': 'verdicts',
                'ordering': ['claim_id', '-proposed_at', '-id'],
                'permissions': [('approve_verdict', 'Can approve or send back the verdicts of others')],
            },
        ),
        migrations.AddField(
            model_name='digestentry',
            name='verdict',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='claims.verdict', verbose_name='verdict'),
        ),
        migrations.AddIndex(
            model_name='claim',
            index=models.Index(fields=['-published_at', '-id'], name='claim_published_at'),
        ),
        migrations.AddIndex(
            model_name='claim',
            index=models.Index(fields=['-created_at', '-id'], name='claim_created_at'),
        ),
        migrations.AddIndex(
            model_name='claim',
            index=models.Index(condition=models.Q(('updated_at__gt', models.F('published_at'))), fields=['-updated_at'], name='claim_changed_since_published'),
        ),
        migrations.AddConstraint(
            model_name='evidence',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('article__isnull', False), ('end__gt', models.F('start')), ('start__isnull', False)), models.Q(('article__isnull', True), ('end__isnull', True), ('start__isnull', True), models.Q(models.Q(('url', ''), _negated=True), models.Q(('citation_title', ''), _negated=True), _connector='OR')), _connector='OR'), name='evidence_span_or_citation', violation_error_message='Evidence is either an article span whose end is after its start, or an outside citation with a URL or a title.'),
        ),
        migrations.AddConstraint(
            model_name='knownclaim',
            constraint=models.UniqueConstraint(fields=('article', 'claim'), name='known_claim_once_per_article'),
        ),
        migrations.AddIndex(
            model_name='passage',
            index=models.Index(fields=['article', 'start'], name='claims_pass_article_c24aea_idx'),
        ),
        migrations.AddIndex(
            model_name='verdict',
            index=models.Index(condition=models.Q(('status', 'proposed')), fields=['proposed_at', 'id'], name='verdict_waiting_review'),
        ),
        migrations.AddConstraint(
            model_name='verdict',
            constraint=models.CheckConstraint(condition=models.Q(('reviewed_by__isnull', True), models.Q(('reviewed_by', models.F('proposed_by')), _negated=True), _connector='OR'), name='verdict_not_reviewed_by_proposer', violation_error_message='Nobody approves their own verdict.'),
        ),
        migrations.AddConstraint(
            model_name='verdict',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'approved'), _negated=True), models.Q(('reviewed_at__isnull', False), ('reviewed_by__isnull', False)), _connector='OR'), name='verdict_approved_has_reviewer', violation_error_message='An approved verdict names its approver.'),
        ),
        migrations.AddConstraint(
            model_name='verdict',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'approved')), fields=('claim',), name='one_verdict_in_force', violation_error_message='A claim has one verdict in force.'),
        ),
        migrations.AddConstraint(
            model_name='digestentry',
            constraint=models.UniqueConstraint(fields=('digest', 'claim'), name='claim_once_per_digest'),
        ),
        # The desk's roles, once every table and its permissions' models are there.
        migrations.RunPython(make_groups, migrations.RunPython.noop),
    ]
