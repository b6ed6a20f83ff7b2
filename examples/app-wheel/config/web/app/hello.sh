# GET /: the greeting (the program's environment, from web.ini) and who answered
printf 'Content-Type: text/plain\r\n\r\n'
echo "$GREETING (served by $(hostname))"
