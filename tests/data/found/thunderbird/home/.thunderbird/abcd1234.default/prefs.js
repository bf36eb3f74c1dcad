# Mozilla User Preferences
/* A block comment with statements inside, which are not read:
user_pref("mail.smtpservers", "evil1");
user_pref("mail.smtpserver.evil1.hostname", "evil.example");
*/
// user_pref("mail.smtpserver.smtp1.hostname", "commented.example");
user_pref("mail.smtpservers", "smtp1");
user_pref("mail.smtpserver.smtp1.hostname", "smtp.gmail.com");
user_pref("mail.smtpserver.smtp1.port", 465);
user_pref("mail.smtpserver.smtp1.try_ssl", 3);
user_pref("mail.smtpserver.smtp1.authMethod", 10);
user_pref("mail.smtpserver.smtp1.username", "grace@gmail.com");
user_pref("mail.identity.id1.fullName", "Grace \"Amazing\" Hopper \\ Navy \u00e9\ud83d\ude00 /* not a comment */");
user_pref('mail.identity.id1.useremail', 'grace@gmail.com');
user_pref("mail.identity.id1.smtpServer", "smtp1");
  user_pref ( "mail.account.account1.identities" , "id1" ) ;
user_pref("mail.accountmanager.accounts", "account1");
user_pref("broken.unterminated", "no end);
user_pref("broken.call", eval("alert(1)"));
user_pref("broken.escape", "\q");
user_pref("broken.surrogate", "\ud83d");
user_pref("broken.number", 99999999999);
