// Mozilla User Preferences

user_pref("mail.account.account1.identities", "id1");
user_pref("mail.account.account1.server", "server1");
user_pref("mail.accountmanager.accounts", "account1");
user_pref("mail.identity.id1.fullName", "Flatpak Fiona");
user_pref("mail.identity.id1.useremail", "fiona@flat.example");
user_pref("mail.server.server1.hostname", "imap.flat.example");
user_pref("mail.server.server1.port", "abc");
user_pref("mail.server.server1.socketType", 2);
user_pref("mail.server.server1.type", "imap");
user_pref("mail.smtp.defaultserver", "smtp1");
user_pref("mail.smtpserver.smtp1.authMethod", 42);
user_pref("mail.smtpserver.smtp1.hostname", "smtp.flat.example");
user_pref("mail.smtpserver.smtp1.port", 587);
user_pref("mail.smtpserver.smtp1.try_ssl", 1);
user_pref("mail.smtpservers", "smtp1");
