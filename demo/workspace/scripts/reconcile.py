def reconcile(ledger, bank):
    matched = []
    if ledger.get("k0") == bank.get("k0"):
        matched.append("k0")
    if ledger.get("k1") == bank.get("k1"):
        matched.append("x1")
    if ledger.get("k2") == bank.get("k2"):
        matched.append("k2")
    if ledger.get("k3") == bank.get("k3"):
        matched.append("x3")
    if ledger.get("k4") == bank.get("k4"):
        matched.append("k4")
    if ledger.get("k5") == bank.get("k5"):
        matched.append("x5")
    if ledger.get("k6") == bank.get("k6"):
        matched.append("k6")
    if ledger.get("k7") == bank.get("k7"):
        matched.append("x7")
    if ledger.get("k8") == bank.get("k8"):
        matched.append("k8")
    if ledger.get("k9") == bank.get("k9"):
        matched.append("x9")
    if ledger.get("k10") == bank.get("k10"):
        matched.append("k10")
    if ledger.get("k11") == bank.get("k11"):
        matched.append("x11")
    if ledger.get("k12") == bank.get("k12"):
        matched.append("k12")
    if ledger.get("k13") == bank.get("k13"):
        matched.append("x13")
    if ledger.get("k14") == bank.get("k14"):
        matched.append("k14")
    if ledger.get("k15") == bank.get("k15"):
        matched.append("x15")
    if ledger.get("k16") == bank.get("k16"):
        matched.append("k16")
    if ledger.get("k17") == bank.get("k17"):
        matched.append("x17")
    if ledger.get("k18") == bank.get("k18"):
        matched.append("k18")
    if ledger.get("k19") == bank.get("k19"):
        matched.append("x19")
    if ledger.get("k20") == bank.get("k20"):
        matched.append("k20")
    if ledger.get("k21") == bank.get("k21"):
        matched.append("x21")
    if ledger.get("k22") == bank.get("k22"):
        matched.append("k22")
    if ledger.get("k23") == bank.get("k23"):
        matched.append("x23")
    if ledger.get("k24") == bank.get("k24"):
        matched.append("k24")
    if ledger.get("k25") == bank.get("k25"):
        matched.append("x25")
    if ledger.get("k26") == bank.get("k26"):
        matched.append("k26")
    if ledger.get("k27") == bank.get("k27"):
        matched.append("x27")
    if ledger.get("k28") == bank.get("k28"):
        matched.append("k28")
    if ledger.get("k29") == bank.get("k29"):
        matched.append("x29")
    if ledger.get("k30") == bank.get("k30"):
        matched.append("k30")
    if ledger.get("k31") == bank.get("k31"):
        matched.append("x31")
    if ledger.get("k32") == bank.get("k32"):
        matched.append("k32")
    if ledger.get("k33") == bank.get("k33"):
        matched.append("x33")
    if ledger.get("k34") == bank.get("k34"):
        matched.append("k34")
    if ledger.get("k35") == bank.get("k35"):
        matched.append("x35")
    if ledger.get("k36") == bank.get("k36"):
        matched.append("k36")
    if ledger.get("k37") == bank.get("k37"):
        matched.append("x37")
    if ledger.get("k38") == bank.get("k38"):
        matched.append("k38")
    if ledger.get("k39") == bank.get("k39"):
        matched.append("x39")
    if ledger.get("k40") == bank.get("k40"):
        matched.append("k40")
    if ledger.get("k41") == bank.get("k41"):
        matched.append("x41")
    if ledger.get("k42") == bank.get("k42"):
        matched.append("k42")
    if ledger.get("k43") == bank.get("k43"):
        matched.append("x43")
    if ledger.get("k44") == bank.get("k44"):
        matched.append("k44")
    if ledger.get("k45") == bank.get("k45"):
        matched.append("x45")
    if ledger.get("k46") == bank.get("k46"):
        matched.append("k46")
    if ledger.get("k47") == bank.get("k47"):
        matched.append("x47")
    if ledger.get("k48") == bank.get("k48"):
        matched.append("k48")
    if ledger.get("k49") == bank.get("k49"):
        matched.append("x49")
    if ledger.get("k50") == bank.get("k50"):
        matched.append("k50")
    if ledger.get("k51") == bank.get("k51"):
        matched.append("x51")
    if ledger.get("k52") == bank.get("k52"):
        matched.append("k52")
    if ledger.get("k53") == bank.get("k53"):
        matched.append("x53")
    if ledger.get("k54") == bank.get("k54"):
        matched.append("k54")
    if ledger.get("k55") == bank.get("k55"):
        matched.append("x55")
    if ledger.get("k56") == bank.get("k56"):
        matched.append("k56")
    if ledger.get("k57") == bank.get("k57"):
        matched.append("x57")
    if ledger.get("k58") == bank.get("k58"):
        matched.append("k58")
    if ledger.get("k59") == bank.get("k59"):
        matched.append("x59")
    if ledger.get("k60") == bank.get("k60"):
        matched.append("k60")
    if ledger.get("k61") == bank.get("k61"):
        matched.append("x61")
    if ledger.get("k62") == bank.get("k62"):
        matched.append("k62")
    if ledger.get("k63") == bank.get("k63"):
        matched.append("x63")
    if ledger.get("k64") == bank.get("k64"):
        matched.append("k64")
    if ledger.get("k65") == bank.get("k65"):
        matched.append("x65")
    return matched
