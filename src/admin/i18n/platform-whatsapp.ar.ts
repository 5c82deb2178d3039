import type { PlatformWhatsAppMessages } from "./platform-whatsapp.fr";

export const platformWhatsAppAr: PlatformWhatsAppMessages = {
  title: "مُرسِل واتساب",
  hint: "رقم النشاط الخاص في مدير واتساب للأعمال لدى Meta: تُرسل رسائله من هذا الرقم وتصل الردود عليه إلى هذا النشاط. فارغ: المُرسِل الافتراضي للمنصة إن وُجد، وإلا تبقى رسائل واتساب في الانتظار (دون التحويل إلى الرسائل القصيرة).",
  current: "المُرسِل الحالي",
  none: "لا يوجد (المُرسِل الافتراضي للمنصة)",
  phoneNumberId: "معرّف الرقم (Meta)",
  displayNumber: "الرقم الظاهر للزبناء",
  save: "حفظ المُرسِل",
  saved: "تم حفظ مُرسِل واتساب.",
  fixErrors: "المرجو تصحيح الحقول المشار إليها.",
  badId: "معرّف الرقم لدى Meta: أرقام فقط.",
  badNumber: "بالصيغة الدولية، مثلاً +212522000000.",
  numberNeedsId: "الرقم يحتاج إلى معرّفه.",
  taken: "نشاط آخر يستعمل هذا المعرّف.",
};
