"""The search index table; the full-text machinery of each database follows in 0002."""

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('event', 'Event'), ('person', 'Speaker'), ('report', 'Press release')], max_length=10)),
                ('object_id', models.PositiveBigIntegerField()),
                ('title', models.CharField(max_length=300)),
                ('body', models.TextField(blank=True)),
                ('url', models.CharField(max_length=500)),
                ('date', models.DateTimeField(blank=True, null=True)),
                ('time_zone', models.CharField(blank=True, max_length=64)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('kind', 'object_id'), name='search_entry_unique_object')],
            },
        ),
    ]
