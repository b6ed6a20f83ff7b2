package dev.radial.ctl;

/** supervisor.options.make_namespec / split_namespec: "web" is process web of group web; "g:*" a whole group. */
public record Namespec(String group, String process) {
    /** split_namespec: process is null for "g:" and "g:*". */
    public static Namespec split(String namespec) {
        int colon = namespec.indexOf(':');
        if (colon < 0) {
            return new Namespec(namespec, namespec);
        }
        String process = namespec.substring(colon + 1);
        return new Namespec(namespec.substring(0, colon), process.isEmpty() || process.equals("*") ? null : process);
    }

    /** make_namespec: the short name when group and process share it. */
    public static String make(String group, String process) {
        return group.equals(process) ? process : group + ":" + process;
    }

    @Override
    public String toString() {
        return make(group, process);
    }
}
