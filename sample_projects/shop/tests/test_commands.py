from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from orders.models import Order

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(make_order, product):
    old = make_order([(product, 2)])
    fresh = make_order([(product, 1)])
    old_paid = make_order([(product, 1)])
    Order.objects.filter(pk__in=[old.pk, old_paid.pk]).update(
        created=timezone.now() - timedelta(hours=72))
    Order.objects.filter(pk=old_paid.pk).update(status=Order.STATUS_PAID)
    return old, fresh, old_paid


def statuses(orders):
    return [Order.objects.get(pk=o.pk).status for o in orders]


def test_cancels_stale_pending_orders(orders, product):
    out = StringIO()
    call_command('cancel_stale_orders', stdout=out)
    assert statuses(orders) == ['cancelled', 'pending', 'paid']
    assert 'Cancelled %s' % orders[0].number in out.getvalue()
    assert '1 stale order(s) cancelled.' in out.getvalue()
    product.refresh_from_db()
    assert product.stock == 10 - 1 - 1  # the stale order's two items are back


def test_dry_run_changes_nothing(orders):
    out = StringIO()
    call_command('cancel_stale_orders', '--dry-run', stdout=out)
    assert statuses(orders) == ['pending', 'pending', 'paid']
    assert 'Would cancel %s' % orders[0].number in out.getvalue()
    assert '1 stale order(s) would be cancelled.' in out.getvalue()


def test_hours_option(orders):
    call_command('cancel_stale_orders', '--hours', '0', stdout=StringIO())
    assert statuses(orders) == ['cancelled', 'cancelled', 'paid']
