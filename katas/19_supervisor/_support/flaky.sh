# A child for kata 19's supervisor: each start reads its turn from a count
# file, then follows the plan for that turn. The tests run it as
#   sh flaky.sh <count file> <plan> <plan> ...
# where a plan is "hang" (sleep until killed), "crash:S" (exit 1 after S
# seconds) or "ok:S" (exit 0 after S seconds); past the last plan, the last one
# repeats. Only shell built-ins count the turns: a crash costs the machine little.
count=$1
shift
echo start >> "$count"
turn=0
while read -r _; do turn=$((turn + 1)); done < "$count"
[ "$turn" -gt "$#" ] && turn=$#
shift $((turn - 1))
case $1 in
  hang) exec sleep 600 ;;
  ok:*) sleep "${1#ok:}"; exit 0 ;;
  crash:*) sleep "${1#crash:}"; exit 1 ;;
esac
echo "flaky.sh: unknown plan '$1'" >&2
exit 2
