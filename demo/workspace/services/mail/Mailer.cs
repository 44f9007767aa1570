using System;

namespace Shop.Mail
{
    public class Mailer
    {
        public void Send(string to, string body)
        {
            try
            {
                Smtp.Deliver(to, body);
            }
            catch (Exception) { }
        }
    }
}
