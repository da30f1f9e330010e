from rest_framework import serializers

from .models import Order, OrderItem


class OrderItemSerializer(serializers.ModelSerializer):
    product = serializers.SlugRelatedField(slug_field='sku', read_only=True)

    class Meta:
        model = OrderItem
        fields = ('product', 'quantity', 'unit_price')


class OrderSerializer(serializers.ModelSerializer):
    items = OrderItemSerializer(many=True, read_only=True)

    class Meta:
        model = Order
        fields = ('number', 'status', 'email', 'total', 'gift_wrap', 'created', 'items')
        read_only_fields = fields
