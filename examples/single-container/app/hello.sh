# GET /: the app's answer, through nginx
printf 'Content-Type: text/plain\r\n\r\n'
echo "Hello from one container (served by $(hostname))"
