import django.dispatch

# Sent by orders.services.place_order once the order and its items exist.
order_placed = django.dispatch.Signal(providing_args=['order', 'request'])

# Sent by Order.cancel(); receivers put the stock back.
order_cancelled = django.dispatch.Signal(providing_args=['order', 'reason'])
