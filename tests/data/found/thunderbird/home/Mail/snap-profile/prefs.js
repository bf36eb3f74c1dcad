// Mozilla User Preferences
user_pref("mail.smtpserver.smtp5.hostname", "smtp.snap.example");
user_pref("mail.smtpserver.smtp5.port", 0);
user_pref("mail.smtpserver.smtp5.try_ssl", 7);
user_pref("mail.smtpservers", "smtp5,smtp6");
