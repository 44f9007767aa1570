package shop.billing;

public class Billing {
    private static final String password = "billing-admin-2024";

    public double charge(double amount) {
        try {
            return Gateway.send(amount);
        } catch (Exception e) {
        }
        return 0;
    }

    // FIXME: rounding mode is not specified
    public long cents(double amount) {
        return Math.round(amount * 100);
    }
}
