user_pref("mail.smtpserver.smtp1.hostname", "shadowed.example");
user_pref("mail.smtpservers", "smtp1");
