from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from orders.models import Order


class Command(BaseCommand):
    help = 'Cancel orders that have waited for payment for too long, putting their stock back.'

    def add_arguments(self, parser):
        parser.add_argument(
            '--hours', type=int, default=settings.SHOP_STALE_ORDER_HOURS,
            help='Cancel pending orders older than this many hours (default: %(default)s).')
        parser.add_argument(
            '--dry-run', action='store_true', help='List the orders, change nothing.')

    def handle(self, *args, **options):
        cutoff = timezone.now() - timedelta(hours=options['hours'])
        stale = Order.objects.filter(status=Order.STATUS_PENDING, created__lt=cutoff)
        count = 0
        for order in stale.order_by('created'):
            if options['dry_run']:
                self.stdout.write('Would cancel %s' % order.number)
                count += 1
            elif order.cancel(reason='stale'):
                self.stdout.write('Cancelled %s' % order.number)
                count += 1
        verb = 'would be cancelled' if options['dry_run'] else 'cancelled'
        self.stdout.write(self.style.SUCCESS('%d stale order(s) %s.' % (count, verb)))
