import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import meetings.models


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0003_pdf_by_content'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CalendarFeedKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(default=meetings.models.new_feed_key, max_length=64, unique=True, verbose_name='nyckel')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='skapad')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='calendar_feed_key', to=settings.AUTH_USER_MODEL, verbose_name='användare')),
            ],
            options={
                'verbose_name': 'nyckel till kalenderadress',
                'verbose_name_plural': 'nycklar till kalenderadresser',
            },
        ),
    ]
