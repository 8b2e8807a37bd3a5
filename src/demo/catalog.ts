// Static tables behind the synthetic account universe (src/demo/universe.ts).
// Numbers are rough real-world proportions, chosen so the data looks like a B2B data vendor's export,
// not exact statistics.
import type { BusinessModel } from '../accounts/schema.ts';

export interface Industry {
  id: string;
  /** Relative frequency in the universe. */
  weight: number;
  medianEmployees: number;
  /** Median company age in years. */
  medianAge: number;
  /** Median annual revenue per employee, USD, in a high-income country. */
  revenuePerEmployee: number;
  /** 0–1: how many SaaS tools a company of this industry runs. */
  digital: number;
  /** 0–1: how likely it builds software itself (developer tools, React, Docker...). */
  techy: number;
  /** 0–1: share of young companies that are venture-backed. */
  venture: number;
  /** 0–1: chance of running a web store. */
  commerce: number;
  /** 0–1: chance of taking card payments online. */
  payments: number;
  businessModels: readonly (readonly [BusinessModel, number])[];
  keywords: readonly string[];
  /** Verb phrases for the one-line description ("<Name> <offering> for <audience>."). */
  offerings: readonly string[];
  /** Words that follow the brand in a company name ("Veltora Logistics"). */
  nameWords: readonly string[];
}

export const INDUSTRIES: readonly Industry[] = [
  {
    id: 'software', weight: 10, medianEmployees: 30, medianAge: 8, revenuePerEmployee: 200_000,
    digital: 1, techy: 1, venture: 0.45, commerce: 0.02, payments: 0.4,
    businessModels: [['b2b', 70], ['b2c', 10], ['b2b2c', 10], ['marketplace', 10]],
    keywords: ['saas', 'b2b-software', 'cloud', 'api', 'developer-tools', 'workflow-automation', 'analytics', 'hr-tech', 'devops', 'ai', 'collaboration'],
    offerings: ['builds workflow automation software', 'develops cloud analytics tools', 'makes developer tools', 'offers an all-in-one CRM', 'provides HR and payroll software', 'builds AI assistants'],
    nameWords: ['Labs', 'Software', 'Systems', 'Cloud', 'AI', 'Technologies'],
  },
  {
    id: 'fintech', weight: 3.5, medianEmployees: 40, medianAge: 7, revenuePerEmployee: 300_000,
    digital: 0.95, techy: 0.9, venture: 0.55, commerce: 0.02, payments: 0.5,
    businessModels: [['b2b', 45], ['b2c', 25], ['b2b2c', 20], ['marketplace', 10]],
    keywords: ['fintech', 'payments', 'lending', 'banking-as-a-service', 'regtech', 'wealth-management', 'expense-management', 'crypto', 'open-banking', 'invoicing'],
    offerings: ['runs a payments platform', 'offers small-business lending', 'provides spend management cards', 'builds compliance automation'],
    nameWords: ['Pay', 'Capital', 'Finance', 'Money', 'Ledger'],
  },
  {
    id: 'cybersecurity', weight: 1.2, medianEmployees: 40, medianAge: 9, revenuePerEmployee: 250_000,
    digital: 0.95, techy: 0.95, venture: 0.5, commerce: 0.01, payments: 0.15,
    businessModels: [['b2b', 90], ['b2c', 5], ['b2b2c', 5]],
    keywords: ['cybersecurity', 'identity', 'zero-trust', 'endpoint-security', 'siem', 'compliance', 'threat-intelligence', 'cloud-security'],
    offerings: ['protects cloud workloads', 'provides identity and access management', 'detects and responds to threats'],
    nameWords: ['Security', 'Shield', 'Secure', 'Cyber'],
  },
  {
    id: 'healthcare', weight: 7, medianEmployees: 40, medianAge: 15, revenuePerEmployee: 150_000,
    digital: 0.5, techy: 0.2, venture: 0.15, commerce: 0.03, payments: 0.15,
    businessModels: [['b2c', 45], ['b2b', 35], ['b2b2c', 10], ['nonprofit', 10]],
    keywords: ['healthcare', 'digital-health', 'telemedicine', 'clinics', 'medical-devices', 'patient-engagement', 'ehr', 'home-care', 'dental', 'mental-health'],
    offerings: ['runs outpatient clinics', 'offers telehealth consultations', 'provides home care services', 'makes patient scheduling software'],
    nameWords: ['Health', 'Care', 'Medical', 'Clinic', 'Wellness'],
  },
  {
    id: 'biotech', weight: 1.5, medianEmployees: 35, medianAge: 10, revenuePerEmployee: 250_000,
    digital: 0.6, techy: 0.35, venture: 0.6, commerce: 0.01, payments: 0.05,
    businessModels: [['b2b', 85], ['b2b2c', 10], ['b2c', 5]],
    keywords: ['biotech', 'life-sciences', 'drug-discovery', 'genomics', 'clinical-trials', 'diagnostics', 'pharma'],
    offerings: ['develops targeted therapies', 'runs clinical trials', 'provides genomic diagnostics'],
    nameWords: ['Bio', 'Therapeutics', 'Genomics', 'Biosciences'],
  },
  {
    id: 'manufacturing', weight: 8, medianEmployees: 60, medianAge: 28, revenuePerEmployee: 250_000,
    digital: 0.35, techy: 0.1, venture: 0.05, commerce: 0.05, payments: 0.05,
    businessModels: [['b2b', 90], ['b2b2c', 7], ['b2c', 3]],
    keywords: ['manufacturing', 'industrial', 'machinery', 'plastics', 'metal-fabrication', 'electronics', 'packaging', 'chemicals', 'iot', 'supply-chain'],
    offerings: ['manufactures industrial components', 'produces packaging materials', 'makes precision machinery', 'fabricates metal parts'],
    nameWords: ['Industries', 'Manufacturing', 'Group', 'Components'],
  },
  {
    id: 'retail', weight: 8, medianEmployees: 20, medianAge: 18, revenuePerEmployee: 180_000,
    digital: 0.45, techy: 0.1, venture: 0.05, commerce: 0.65, payments: 0.5,
    businessModels: [['b2c', 80], ['marketplace', 15], ['b2b', 5]],
    keywords: ['retail', 'apparel', 'consumer-goods', 'grocery', 'furniture', 'beauty', 'sporting-goods', 'omnichannel', 'footwear'],
    offerings: ['sells apparel in stores and online', 'runs a chain of grocery stores', 'retails home furniture', 'sells beauty products'],
    nameWords: ['Store', 'Shop', 'Outfitters', 'Market', 'Goods'],
  },
  {
    id: 'ecommerce', weight: 4, medianEmployees: 15, medianAge: 7, revenuePerEmployee: 350_000,
    digital: 0.75, techy: 0.4, venture: 0.2, commerce: 0.85, payments: 0.8,
    businessModels: [['b2c', 70], ['marketplace', 25], ['b2b2c', 5]],
    keywords: ['ecommerce', 'd2c', 'online-retail', 'subscription-box', 'marketplace', 'fashion', 'consumer-electronics'],
    offerings: ['sells direct to consumers online', 'runs an online marketplace', 'ships subscription boxes'],
    nameWords: ['Shop', 'Store', 'Direct', 'Co'],
  },
  {
    id: 'logistics', weight: 3.5, medianEmployees: 45, medianAge: 20, revenuePerEmployee: 200_000,
    digital: 0.45, techy: 0.15, venture: 0.08, commerce: 0.01, payments: 0.05,
    businessModels: [['b2b', 85], ['marketplace', 10], ['b2c', 5]],
    keywords: ['logistics', 'freight', 'supply-chain', 'warehousing', 'last-mile', '3pl', 'fleet-management', 'shipping', 'trucking'],
    offerings: ['provides freight forwarding and warehousing', 'runs last-mile delivery', 'operates a trucking fleet'],
    nameWords: ['Logistics', 'Freight', 'Transport', 'Shipping', 'Cargo'],
  },
  {
    id: 'education', weight: 5, medianEmployees: 35, medianAge: 20, revenuePerEmployee: 80_000,
    digital: 0.45, techy: 0.15, venture: 0.08, commerce: 0.03, payments: 0.2,
    businessModels: [['b2c', 40], ['nonprofit', 25], ['government', 20], ['b2b', 15]],
    keywords: ['education', 'edtech', 'e-learning', 'k12', 'higher-education', 'corporate-training', 'tutoring', 'language-learning'],
    offerings: ['offers online courses', 'runs tutoring programs', 'provides a learning management system', 'runs a private college'],
    nameWords: ['Academy', 'Learning', 'Education', 'Institute'],
  },
  {
    id: 'media', weight: 3.5, medianEmployees: 20, medianAge: 14, revenuePerEmployee: 200_000,
    digital: 0.65, techy: 0.3, venture: 0.1, commerce: 0.05, payments: 0.3,
    businessModels: [['b2c', 50], ['b2b', 40], ['b2b2c', 10]],
    keywords: ['media', 'publishing', 'digital-media', 'podcasts', 'video', 'news', 'streaming', 'creator-economy'],
    offerings: ['publishes news and magazines', 'produces video content', 'runs a podcast network'],
    nameWords: ['Media', 'Studios', 'Press', 'Publishing'],
  },
  {
    id: 'marketing_advertising', weight: 5, medianEmployees: 15, medianAge: 11, revenuePerEmployee: 150_000,
    digital: 0.75, techy: 0.25, venture: 0.05, commerce: 0.01, payments: 0.1,
    businessModels: [['b2b', 95], ['b2c', 5]],
    keywords: ['marketing', 'advertising', 'digital-marketing', 'seo', 'branding', 'content-marketing', 'performance-marketing', 'pr', 'adtech'],
    offerings: ['runs performance marketing campaigns', 'offers SEO and content services', 'designs brands'],
    nameWords: ['Agency', 'Digital', 'Creative', 'Marketing'],
  },
  {
    id: 'professional_services', weight: 10, medianEmployees: 15, medianAge: 16, revenuePerEmployee: 150_000,
    digital: 0.5, techy: 0.15, venture: 0.02, commerce: 0.01, payments: 0.05,
    businessModels: [['b2b', 90], ['b2c', 10]],
    keywords: ['consulting', 'accounting', 'legal', 'staffing', 'management-consulting', 'it-services', 'outsourcing', 'recruiting'],
    offerings: ['provides management consulting', 'offers accounting and tax services', 'provides IT services', 'places technical staff'],
    nameWords: ['Consulting', 'Partners', 'Advisors', 'Group', 'Associates'],
  },
  {
    id: 'real_estate', weight: 5, medianEmployees: 12, medianAge: 17, revenuePerEmployee: 300_000,
    digital: 0.35, techy: 0.1, venture: 0.05, commerce: 0.01, payments: 0.05,
    businessModels: [['b2c', 40], ['b2b', 40], ['marketplace', 20]],
    keywords: ['real-estate', 'property-management', 'proptech', 'commercial-real-estate', 'residential', 'brokerage', 'coworking'],
    offerings: ['manages residential properties', 'brokers commercial real estate', 'runs coworking spaces'],
    nameWords: ['Properties', 'Realty', 'Estates', 'Homes'],
  },
  {
    id: 'construction', weight: 6, medianEmployees: 25, medianAge: 22, revenuePerEmployee: 250_000,
    digital: 0.2, techy: 0.05, venture: 0.02, commerce: 0.01, payments: 0.02,
    businessModels: [['b2b', 80], ['b2c', 20]],
    keywords: ['construction', 'general-contractor', 'civil-engineering', 'architecture', 'building-materials', 'renovation', 'infrastructure'],
    offerings: ['builds commercial buildings', 'provides civil engineering', 'supplies building materials'],
    nameWords: ['Construction', 'Builders', 'Engineering', 'Contractors'],
  },
  {
    id: 'hospitality', weight: 4, medianEmployees: 25, medianAge: 14, revenuePerEmployee: 80_000,
    digital: 0.3, techy: 0.05, venture: 0.03, commerce: 0.05, payments: 0.3,
    businessModels: [['b2c', 90], ['b2b', 10]],
    keywords: ['hospitality', 'hotels', 'restaurants', 'travel', 'tourism', 'food-and-beverage', 'events', 'catering'],
    offerings: ['operates boutique hotels', 'runs a restaurant group', 'organises tours and travel'],
    nameWords: ['Hotels', 'Hospitality', 'Travel', 'Kitchen'],
  },
  {
    id: 'financial_services', weight: 4, medianEmployees: 40, medianAge: 22, revenuePerEmployee: 400_000,
    digital: 0.55, techy: 0.15, venture: 0.05, commerce: 0.01, payments: 0.05,
    businessModels: [['b2b', 50], ['b2c', 50]],
    keywords: ['financial-services', 'asset-management', 'private-equity', 'banking', 'wealth-management', 'credit', 'venture-capital'],
    offerings: ['manages assets for institutions', 'offers private banking', 'invests in growth companies'],
    nameWords: ['Capital', 'Partners', 'Financial', 'Investments'],
  },
  {
    id: 'insurance', weight: 1.5, medianEmployees: 80, medianAge: 30, revenuePerEmployee: 500_000,
    digital: 0.5, techy: 0.15, venture: 0.08, commerce: 0.01, payments: 0.1,
    businessModels: [['b2c', 50], ['b2b', 50]],
    keywords: ['insurance', 'insurtech', 'life-insurance', 'property-and-casualty', 'reinsurance', 'health-insurance', 'claims'],
    offerings: ['underwrites property and casualty insurance', 'offers life insurance', 'brokers commercial insurance'],
    nameWords: ['Insurance', 'Assurance', 'Mutual', 'Underwriters'],
  },
  {
    id: 'telecommunications', weight: 1, medianEmployees: 100, medianAge: 20, revenuePerEmployee: 500_000,
    digital: 0.6, techy: 0.35, venture: 0.05, commerce: 0.05, payments: 0.3,
    businessModels: [['b2c', 50], ['b2b', 50]],
    keywords: ['telecommunications', 'isp', '5g', 'fiber', 'voip', 'mobile', 'networking', 'satellite'],
    offerings: ['provides fiber broadband', 'runs a mobile network', 'offers business VoIP'],
    nameWords: ['Telecom', 'Networks', 'Connect', 'Fiber'],
  },
  {
    id: 'energy', weight: 1.5, medianEmployees: 80, medianAge: 20, revenuePerEmployee: 700_000,
    digital: 0.4, techy: 0.1, venture: 0.1, commerce: 0.01, payments: 0.1,
    businessModels: [['b2b', 70], ['b2c', 20], ['government', 10]],
    keywords: ['energy', 'renewables', 'solar', 'wind', 'oil-and-gas', 'utilities', 'ev-charging', 'cleantech', 'battery-storage'],
    offerings: ['develops solar farms', 'supplies electricity and gas', 'installs EV chargers'],
    nameWords: ['Energy', 'Power', 'Solar', 'Renewables'],
  },
  {
    id: 'automotive', weight: 2, medianEmployees: 70, medianAge: 25, revenuePerEmployee: 350_000,
    digital: 0.35, techy: 0.1, venture: 0.04, commerce: 0.05, payments: 0.05,
    businessModels: [['b2b', 50], ['b2c', 50]],
    keywords: ['automotive', 'auto-parts', 'dealerships', 'electric-vehicles', 'mobility', 'fleet', 'aftermarket'],
    offerings: ['manufactures auto parts', 'runs car dealerships', 'builds electric vehicles'],
    nameWords: ['Motors', 'Automotive', 'Auto', 'Mobility'],
  },
  {
    id: 'gaming', weight: 1, medianEmployees: 25, medianAge: 8, revenuePerEmployee: 300_000,
    digital: 0.85, techy: 0.9, venture: 0.3, commerce: 0.05, payments: 0.5,
    businessModels: [['b2c', 95], ['b2b', 5]],
    keywords: ['gaming', 'video-games', 'mobile-games', 'esports', 'game-development', 'virtual-reality'],
    offerings: ['develops mobile games', 'publishes indie games', 'runs esports tournaments'],
    nameWords: ['Games', 'Studios', 'Interactive', 'Play'],
  },
  {
    id: 'government', weight: 1.5, medianEmployees: 150, medianAge: 40, revenuePerEmployee: 120_000,
    digital: 0.3, techy: 0.05, venture: 0, commerce: 0, payments: 0.05,
    businessModels: [['government', 1]],
    keywords: ['government', 'public-sector', 'municipal', 'public-safety', 'transportation', 'public-health', 'civic-tech'],
    offerings: ['provides public services', 'runs public transport', 'oversees public health programs'],
    nameWords: ['Council', 'Authority', 'Agency', 'Department'],
  },
  {
    id: 'nonprofit', weight: 3, medianEmployees: 15, medianAge: 20, revenuePerEmployee: 80_000,
    digital: 0.3, techy: 0.05, venture: 0, commerce: 0.02, payments: 0.2,
    businessModels: [['nonprofit', 1]],
    keywords: ['nonprofit', 'charity', 'foundation', 'social-impact', 'environment', 'community', 'humanitarian'],
    offerings: ['supports local communities', 'funds environmental projects', 'provides humanitarian aid'],
    nameWords: ['Foundation', 'Trust', 'Alliance', 'Fund', 'Society'],
  },
];

/** Who the description says the company serves, by business model. */
export const AUDIENCES: Readonly<Record<BusinessModel, readonly string[]>> = {
  b2b: ['businesses', 'mid-market companies', 'enterprises', 'small businesses', 'finance teams', 'operations teams'],
  b2c: ['consumers', 'families', 'young professionals', 'shoppers'],
  b2b2c: ['brands and their customers', 'retailers and shoppers'],
  marketplace: ['buyers and sellers', 'independent sellers'],
  nonprofit: ['local communities', 'people in need'],
  government: ['residents', 'citizens'],
};

/** Countries companies are drawn from (their region comes from src/accounts/countries.ts). */
export interface Country {
  code: string;
  /** Relative number of companies with a web presence. */
  weight: number;
  /** Local top-level domain, used by `localTldShare` of companies; the rest use .com. */
  tld: string;
  localTldShare: number;
  /** Revenue per employee relative to the US (price levels differ). */
  incomeFactor: number;
  cities: readonly string[];
  /** Legal-form suffixes seen in CRM company names. */
  legalForms: readonly string[];
  /** Government domains, where the country has a dedicated one. */
  govTld?: string;
}

export const COUNTRIES: readonly Country[] = [
  { code: 'US', weight: 36, tld: 'com', localTldShare: 0, incomeFactor: 1, cities: ['New York', 'San Francisco', 'Austin', 'Chicago', 'Boston', 'Seattle', 'Los Angeles', 'Atlanta', 'Denver', 'Miami'], legalForms: ['Inc.', 'LLC'], govTld: 'gov' },
  { code: 'GB', weight: 7, tld: 'co.uk', localTldShare: 0.55, incomeFactor: 0.85, cities: ['London', 'Manchester', 'Edinburgh', 'Bristol', 'Leeds', 'Cambridge'], legalForms: ['Ltd', 'PLC'], govTld: 'gov.uk' },
  { code: 'DE', weight: 5, tld: 'de', localTldShare: 0.7, incomeFactor: 0.9, cities: ['Berlin', 'Munich', 'Hamburg', 'Frankfurt', 'Cologne', 'Stuttgart'], legalForms: ['GmbH', 'AG'] },
  { code: 'IN', weight: 5, tld: 'in', localTldShare: 0.35, incomeFactor: 0.25, cities: ['Bengaluru', 'Mumbai', 'New Delhi', 'Hyderabad', 'Pune', 'Chennai'], legalForms: ['Pvt Ltd'], govTld: 'gov.in' },
  { code: 'FR', weight: 4, tld: 'fr', localTldShare: 0.6, incomeFactor: 0.85, cities: ['Paris', 'Lyon', 'Toulouse', 'Nantes', 'Bordeaux'], legalForms: ['SAS', 'SA'], govTld: 'gouv.fr' },
  { code: 'CA', weight: 3.5, tld: 'ca', localTldShare: 0.45, incomeFactor: 0.85, cities: ['Toronto', 'Vancouver', 'Montréal', 'Calgary', 'Ottawa'], legalForms: ['Inc.', 'Ltd.'], govTld: 'gc.ca' },
  { code: 'BR', weight: 3.5, tld: 'com.br', localTldShare: 0.7, incomeFactor: 0.35, cities: ['São Paulo', 'Rio de Janeiro', 'Belo Horizonte', 'Curitiba', 'Porto Alegre'], legalForms: ['Ltda'], govTld: 'gov.br' },
  { code: 'AU', weight: 2.5, tld: 'com.au', localTldShare: 0.65, incomeFactor: 0.9, cities: ['Sydney', 'Melbourne', 'Brisbane', 'Perth', 'Adelaide'], legalForms: ['Pty Ltd'], govTld: 'gov.au' },
  { code: 'JP', weight: 2.5, tld: 'co.jp', localTldShare: 0.6, incomeFactor: 0.7, cities: ['Tokyo', 'Osaka', 'Yokohama', 'Fukuoka', 'Nagoya'], legalForms: ['K.K.'], govTld: 'go.jp' },
  { code: 'ES', weight: 2.5, tld: 'es', localTldShare: 0.6, incomeFactor: 0.65, cities: ['Madrid', 'Barcelona', 'Valencia', 'Seville', 'Bilbao'], legalForms: ['S.L.', 'S.A.'] },
  { code: 'IT', weight: 2.5, tld: 'it', localTldShare: 0.65, incomeFactor: 0.7, cities: ['Milan', 'Rome', 'Turin', 'Bologna', 'Florence'], legalForms: ['S.r.l.', 'S.p.A.'] },
  { code: 'NL', weight: 2, tld: 'nl', localTldShare: 0.6, incomeFactor: 0.9, cities: ['Amsterdam', 'Rotterdam', 'Utrecht', 'Eindhoven', 'The Hague'], legalForms: ['B.V.'] },
  { code: 'PL', weight: 1.5, tld: 'pl', localTldShare: 0.7, incomeFactor: 0.45, cities: ['Warsaw', 'Kraków', 'Wrocław', 'Gdańsk', 'Poznań'], legalForms: ['sp. z o.o.', 'S.A.'], govTld: 'gov.pl' },
  { code: 'MX', weight: 1.5, tld: 'com.mx', localTldShare: 0.6, incomeFactor: 0.35, cities: ['Mexico City', 'Guadalajara', 'Monterrey', 'Puebla'], legalForms: ['S.A. de C.V.'], govTld: 'gob.mx' },
  { code: 'CN', weight: 1.5, tld: 'cn', localTldShare: 0.6, incomeFactor: 0.35, cities: ['Shanghai', 'Beijing', 'Shenzhen', 'Hangzhou', 'Guangzhou'], legalForms: ['Co., Ltd.'], govTld: 'gov.cn' },
  { code: 'KR', weight: 1.2, tld: 'co.kr', localTldShare: 0.6, incomeFactor: 0.65, cities: ['Seoul', 'Busan', 'Incheon', 'Daejeon'], legalForms: ['Co., Ltd.'], govTld: 'go.kr' },
  { code: 'SE', weight: 1, tld: 'se', localTldShare: 0.6, incomeFactor: 0.9, cities: ['Stockholm', 'Gothenburg', 'Malmö', 'Uppsala'], legalForms: ['AB'] },
  { code: 'CH', weight: 0.9, tld: 'ch', localTldShare: 0.65, incomeFactor: 1.1, cities: ['Zürich', 'Geneva', 'Basel', 'Lausanne'], legalForms: ['AG', 'SA', 'GmbH'] },
  { code: 'ZA', weight: 0.9, tld: 'co.za', localTldShare: 0.7, incomeFactor: 0.3, cities: ['Johannesburg', 'Cape Town', 'Durban', 'Pretoria'], legalForms: ['(Pty) Ltd'], govTld: 'gov.za' },
  { code: 'BE', weight: 0.8, tld: 'be', localTldShare: 0.6, incomeFactor: 0.85, cities: ['Brussels', 'Antwerp', 'Ghent', 'Leuven'], legalForms: ['NV', 'BV'] },
  { code: 'TR', weight: 0.8, tld: 'com.tr', localTldShare: 0.6, incomeFactor: 0.35, cities: ['Istanbul', 'Ankara', 'Izmir'], legalForms: ['A.Ş.'], govTld: 'gov.tr' },
  { code: 'SG', weight: 0.8, tld: 'sg', localTldShare: 0.4, incomeFactor: 1, cities: ['Singapore'], legalForms: ['Pte. Ltd.'], govTld: 'gov.sg' },
  { code: 'ID', weight: 0.8, tld: 'co.id', localTldShare: 0.5, incomeFactor: 0.2, cities: ['Jakarta', 'Surabaya', 'Bandung'], legalForms: ['PT'], govTld: 'go.id' },
  { code: 'AR', weight: 0.7, tld: 'com.ar', localTldShare: 0.65, incomeFactor: 0.3, cities: ['Buenos Aires', 'Córdoba', 'Rosario'], legalForms: ['S.A.', 'S.R.L.'], govTld: 'gob.ar' },
  { code: 'AE', weight: 0.7, tld: 'ae', localTldShare: 0.4, incomeFactor: 0.8, cities: ['Dubai', 'Abu Dhabi', 'Sharjah'], legalForms: ['LLC', 'FZ-LLC'], govTld: 'gov.ae' },
  { code: 'AT', weight: 0.6, tld: 'at', localTldShare: 0.65, incomeFactor: 0.85, cities: ['Vienna', 'Graz', 'Linz', 'Salzburg'], legalForms: ['GmbH', 'AG'], govTld: 'gv.at' },
  { code: 'IE', weight: 0.6, tld: 'ie', localTldShare: 0.5, incomeFactor: 1, cities: ['Dublin', 'Cork', 'Galway'], legalForms: ['Ltd', 'DAC'], govTld: 'gov.ie' },
  { code: 'PT', weight: 0.6, tld: 'pt', localTldShare: 0.6, incomeFactor: 0.55, cities: ['Lisbon', 'Porto', 'Braga'], legalForms: ['Lda', 'S.A.'], govTld: 'gov.pt' },
  { code: 'IL', weight: 0.6, tld: 'co.il', localTldShare: 0.4, incomeFactor: 0.9, cities: ['Tel Aviv', 'Jerusalem', 'Haifa'], legalForms: ['Ltd.'], govTld: 'gov.il' },
  { code: 'DK', weight: 0.5, tld: 'dk', localTldShare: 0.65, incomeFactor: 0.95, cities: ['Copenhagen', 'Aarhus', 'Odense'], legalForms: ['ApS', 'A/S'] },
  { code: 'NO', weight: 0.5, tld: 'no', localTldShare: 0.65, incomeFactor: 1, cities: ['Oslo', 'Bergen', 'Trondheim'], legalForms: ['AS', 'ASA'] },
  { code: 'CZ', weight: 0.5, tld: 'cz', localTldShare: 0.7, incomeFactor: 0.5, cities: ['Prague', 'Brno', 'Ostrava'], legalForms: ['s.r.o.', 'a.s.'], govTld: 'gov.cz' },
  { code: 'CO', weight: 0.5, tld: 'com.co', localTldShare: 0.6, incomeFactor: 0.25, cities: ['Bogotá', 'Medellín', 'Cali'], legalForms: ['S.A.S.'], govTld: 'gov.co' },
  { code: 'NG', weight: 0.5, tld: 'com.ng', localTldShare: 0.5, incomeFactor: 0.15, cities: ['Lagos', 'Abuja', 'Port Harcourt'], legalForms: ['Ltd'], govTld: 'gov.ng' },
  { code: 'PH', weight: 0.5, tld: 'com.ph', localTldShare: 0.45, incomeFactor: 0.2, cities: ['Manila', 'Cebu City', 'Davao City'], legalForms: ['Inc.', 'Corp.'], govTld: 'gov.ph' },
  { code: 'FI', weight: 0.4, tld: 'fi', localTldShare: 0.65, incomeFactor: 0.9, cities: ['Helsinki', 'Espoo', 'Tampere'], legalForms: ['Oy', 'Oyj'] },
  { code: 'CL', weight: 0.4, tld: 'cl', localTldShare: 0.65, incomeFactor: 0.35, cities: ['Santiago', 'Valparaíso', 'Concepción'], legalForms: ['SpA', 'S.A.'], govTld: 'gob.cl' },
  { code: 'SA', weight: 0.4, tld: 'com.sa', localTldShare: 0.5, incomeFactor: 0.7, cities: ['Riyadh', 'Jeddah', 'Dammam'], legalForms: ['LLC'], govTld: 'gov.sa' },
  { code: 'NZ', weight: 0.4, tld: 'co.nz', localTldShare: 0.7, incomeFactor: 0.75, cities: ['Auckland', 'Wellington', 'Christchurch'], legalForms: ['Ltd'], govTld: 'govt.nz' },
  { code: 'VN', weight: 0.4, tld: 'vn', localTldShare: 0.5, incomeFactor: 0.15, cities: ['Ho Chi Minh City', 'Hanoi', 'Da Nang'], legalForms: ['JSC', 'Co., Ltd.'], govTld: 'gov.vn' },
  { code: 'EG', weight: 0.3, tld: 'com.eg', localTldShare: 0.5, incomeFactor: 0.15, cities: ['Cairo', 'Alexandria', 'Giza'], legalForms: ['S.A.E.'], govTld: 'gov.eg' },
  { code: 'KE', weight: 0.2, tld: 'co.ke', localTldShare: 0.6, incomeFactor: 0.12, cities: ['Nairobi', 'Mombasa', 'Kisumu'], legalForms: ['Ltd'], govTld: 'go.ke' },
];

// Company names: invented brands ("Veltora", "Novartix") from head + infix + link + tail (~190k
// roots), and place-like compounds ("Northfield", also used for councils and charities).
export const BRAND_HEADS = ['ac', 'al', 'am', 'ar', 'au', 'bel', 'bri', 'cal', 'cor', 'dex', 'el', 'fen', 'gal', 'hal', 'ion', 'jun', 'kai', 'lum', 'mer', 'nex', 'nov', 'ol', 'pax', 'quan', 'rev', 'sol', 'syn', 'tal', 'tri', 'ul', 'vel', 'ver', 'vin', 'vox', 'wex', 'xen', 'yor', 'zen', 'zel', 'om'];
export const BRAND_INFIXES = ['', 'ar', 'en', 'ol', 'is', 'ur', 'em', 'ak', 'ov', 'in', 'et', 'al', 'or'];
export const BRAND_LINKS = ['', 'r', 'l', 'n', 't', 'm', 'd', 's', 'v', 'k', 'b', 'st'];
export const BRAND_TAILS = ['a', 'ara', 'ex', 'ix', 'io', 'ify', 'ly', 'ent', 'eon', 'um', 'ico', 'ova', 'ana', 'ity', 'era', 'is', 'on', 'ax', 'ium', 'ado', 'ela', 'ient', 'oda', 'ux', 'ora', 'ia', 'yx', 'ero', 'ari', 'ina'];
export const PLACE_HEADS = ['north', 'south', 'east', 'west', 'blue', 'iron', 'silver', 'bright', 'clear', 'red', 'green', 'stone', 'oak', 'river', 'summit', 'harbor', 'maple', 'cedar', 'golden', 'swift', 'true', 'high', 'open', 'prime', 'bold', 'wild', 'lake', 'sun', 'star', 'pine', 'granite', 'copper', 'elm', 'ash', 'birch', 'willow', 'falcon', 'hawk', 'fox', 'bay', 'amber', 'arrow', 'beacon', 'black', 'briar', 'cloud', 'coral', 'crystal', 'deer', 'ember', 'fair', 'frost', 'glen', 'hazel', 'heather', 'ivy', 'kings', 'lark', 'linden', 'marsh', 'meadow', 'mill', 'moss', 'orchard', 'raven', 'rose', 'salt', 'sand', 'shore', 'sky', 'spruce', 'thorn', 'timber', 'white', 'winter', 'wolf'];
export const PLACE_TAILS = ['wind', 'field', 'bridge', 'gate', 'path', 'point', 'light', 'wave', 'wood', 'line', 'works', 'forge', 'way', 'ridge', 'brook', 'haven', 'spring', 'crest', 'view', 'mark', 'core', 'leaf', 'port', 'rock', 'water', 'hill', 'dale', 'ford', 'side', 'stead', 'bank', 'bend', 'burn', 'cliff', 'cove', 'creek', 'fall', 'glade', 'grove', 'hollow', 'hurst', 'land', 'mere', 'mont', 'moor', 'run', 'shire', 'ton', 'vale', 'well', 'wick', 'worth'];

export const FUNDED_STAGES = ['seed', 'series_a', 'series_b', 'series_c', 'growth'] as const;

/** Typical round size per stage, USD; used for funding_round signals. */
export const ROUND_SIZES: Readonly<Record<(typeof FUNDED_STAGES)[number], number>> = {
  seed: 2_000_000,
  series_a: 12_000_000,
  series_b: 35_000_000,
  series_c: 70_000_000,
  growth: 150_000_000,
};

// Signal vocabularies (topics are lower-case tokens, like technologies and keywords).
export const WEB_PAGES = ['pricing', 'product', 'case-studies', 'blog', 'docs', 'integrations', 'careers', 'demo'];
export const INTENT_TOPICS = ['account-based-marketing', 'sales-intelligence', 'intent-data', 'lead-scoring', 'data-enrichment', 'revenue-operations', 'predictive-analytics', 'crm-migration', 'customer-data-platform'];
export const EVENTS = ['saastr-annual', 'dreamforce', 'web-summit', 'money20-20', 'snowflake-summit', 'hubspot-inbound', 'gartner-symposium', 'collision'];
export const COMPETITORS = ['zoominfo', '6sense', 'demandbase', 'apollo', 'clearbit'];
export const DEPARTMENTS = ['engineering', 'sales', 'marketing', 'data', 'operations', 'customer-success'];
export const LEADERSHIP_ROLES = ['ceo', 'cto', 'cfo', 'cro', 'cmo', 'vp-sales', 'vp-marketing', 'head-of-data'];

// Technology stacks. A stack is drawn group by group, then add-on by add-on, so later choices can
// depend on earlier ones; that is where the co-occurrence comes from (Snowflake → dbt, Fivetran, Looker;
// Salesforce → Pardot/Marketo, Outreach; React → Next.js; Shopify → Klaviyo).

/** What a stack rule may look at. */
export interface StackContext {
  industry: Industry;
  businessModel: BusinessModel;
  employees: number;
  country: Country;
  /** 0.4–1.5, grows with log employees: bigger companies run (and expose) more tools. */
  scale: number;
  /** industry.digital × scale. */
  intensity: number;
  has(tech: string): boolean;
}

/** Tools a company usually runs one of (one cloud, one CRM...); a second one is the exception. */
export interface TechGroup {
  presence(c: StackContext): number;
  options(c: StackContext): [string, number][];
  secondChance: number;
}

export interface TechAddOn {
  tech: string;
  chance(c: StackContext): number;
}

const WAREHOUSES = ['snowflake', 'bigquery', 'redshift', 'databricks'];
const CLOUDS = ['aws', 'azure', 'gcp'];
function hasAny(c: StackContext, techs: readonly string[]): boolean {
  for (const tech of techs) if (c.has(tech)) return true;
  return false;
}

/** How much a business model needs a CRM at all. */
const CRM_NEED: Readonly<Record<BusinessModel, number>> = {
  b2b: 1, b2b2c: 0.8, marketplace: 0.6, b2c: 0.35, nonprofit: 0.4, government: 0.2,
};

export const TECH_GROUPS: readonly TechGroup[] = [
  {
    // Cloud: Azure is the enterprise / Microsoft-shop choice, GCP leans to software companies.
    presence: (c) => 0.2 + 0.55 * c.intensity,
    options: (c) => [['aws', 55], ['azure', c.employees > 1000 ? 45 : 20], ['gcp', 10 + 15 * c.industry.techy]],
    secondChance: 0.07,
  },
  {
    presence: () => 0.8,
    options: (c) => [['google-workspace', c.employees < 200 ? 60 : 30], ['microsoft-365', c.employees < 200 ? 40 : 70]],
    secondChance: 0.04,
  },
  {
    // CRM: Salesforce grows with size, HubSpot and Pipedrive are the small-company picks.
    presence: (c) => Math.min(0.95, CRM_NEED[c.businessModel] * (0.25 + 0.5 * c.scale)),
    options: (c) =>
      c.employees < 50
        ? [['hubspot', 45], ['pipedrive', 25], ['zoho-crm', c.country.code === 'IN' ? 45 : 15], ['salesforce', 10], ['microsoft-dynamics', 5]]
        : c.employees <= 1000
          ? [['hubspot', 35], ['salesforce', 45], ['pipedrive', 5], ['zoho-crm', 5], ['microsoft-dynamics', 10]]
          : [['salesforce', 60], ['microsoft-dynamics', 30], ['hubspot', 10]],
    secondChance: 0.03,
  },
  {
    // Warehouse: the native one of the company's cloud is likelier.
    presence: (c) => Math.min(0.9, 0.02 + 0.45 * c.intensity * c.intensity),
    options: (c) => [
      ['snowflake', 45],
      ['bigquery', c.has('gcp') ? 60 : 10],
      ['redshift', c.has('aws') ? 30 : 8],
      ['databricks', c.has('azure') ? 35 : 15],
    ],
    secondChance: 0.1,
  },
  {
    presence: (c) => c.industry.commerce,
    options: (c) => [['shopify', c.employees < 200 ? 55 : 25], ['magento', c.employees < 200 ? 10 : 35], ['woocommerce', c.employees < 50 ? 25 : 5]],
    secondChance: 0.03,
  },
  {
    // Website CMS: site builders for tiny companies, Drupal for the public sector.
    presence: () => 0.55,
    options: (c) => [
      ['wordpress', 50],
      ['webflow', 2 + 15 * c.industry.techy],
      ['wix', c.employees < 20 ? 15 : 1],
      ['squarespace', c.employees < 20 ? 12 : 1],
      ['drupal', c.businessModel === 'government' || c.businessModel === 'nonprofit' ? 30 : 3],
    ],
    secondChance: 0.05,
  },
  {
    // BI: follows the warehouse (Looker with Snowflake/BigQuery) or the Microsoft stack (Power BI).
    presence: (c) => Math.min(0.9, 0.04 + 0.35 * c.intensity * c.intensity + (hasAny(c, WAREHOUSES) ? 0.35 : 0)),
    options: (c) => [
      ['tableau', 30],
      ['looker', c.has('snowflake') || c.has('bigquery') ? 45 : 8],
      ['power-bi', c.has('azure') || c.has('microsoft-365') ? 50 : 15],
      ['metabase', c.employees < 200 ? 15 : 3],
    ],
    secondChance: 0.1,
  },
  {
    presence: (c) => 0.1 + 0.3 * c.intensity,
    options: (c) => [['zendesk', 45], ['intercom', 5 + 30 * c.industry.techy], ['freshdesk', c.country.code === 'IN' ? 40 : 12]],
    secondChance: 0.03,
  },
  {
    presence: (c) => c.industry.payments,
    options: (c) => [['stripe', 30 + 30 * c.industry.techy], ['paypal', 30], ['adyen', c.employees > 1000 ? 30 : 3], ['braintree', 8]],
    secondChance: 0.15,
  },
  {
    // Accounting / ERP: QuickBooks and Xero by country for small firms, SAP and Oracle for large ones.
    presence: (c) => Math.min(0.7, 0.1 + 0.3 * (1 - c.industry.techy) * c.scale),
    options: (c) =>
      c.employees < 50
        ? [['quickbooks', ['US', 'CA'].includes(c.country.code) ? 60 : 10], ['xero', ['GB', 'AU', 'NZ'].includes(c.country.code) ? 60 : 10], ['netsuite', 10]]
        : c.employees <= 1000
          ? [['netsuite', 45], ['sap', 20], ['quickbooks', 10], ['oracle', 5]]
          : [['sap', 55], ['oracle', 30], ['netsuite', 10]],
    secondChance: 0.03,
  },
  {
    // Marketing automation: HubSpot users already have it; Salesforce shops add Pardot or Marketo.
    presence: (c) => (c.has('hubspot') ? 0.1 : hasAny(c, ['salesforce', 'microsoft-dynamics', 'pipedrive', 'zoho-crm', 'shopify']) ? 0.45 : 0.15),
    options: (c) => [
      ['marketo', c.has('salesforce') ? 40 : 5],
      ['pardot', c.has('salesforce') ? 35 : 1],
      ['mailchimp', c.employees < 200 ? 40 : 5],
      ['klaviyo', c.has('shopify') ? 60 : 3],
    ],
    secondChance: 0.05,
  },
];

const FOCUSED = (c: StackContext) => Math.min(1, c.scale);

export const TECH_ADDONS: readonly TechAddOn[] = [
  { tech: 'google-analytics', chance: (c) => 0.45 + 0.25 * c.industry.digital },
  { tech: 'google-tag-manager', chance: (c) => (c.has('google-analytics') ? 0.55 : 0.03) },
  { tech: 'hotjar', chance: (c) => 0.1 * c.industry.digital * (c.employees < 500 ? 1 : 0.4) },
  { tech: 'segment', chance: (c) => (hasAny(c, WAREHOUSES) ? 0.3 : 0.03 * c.intensity) },
  { tech: 'dbt', chance: (c) => (c.has('snowflake') ? 0.6 : hasAny(c, WAREHOUSES) ? 0.3 : 0.005) },
  { tech: 'fivetran', chance: (c) => (c.has('snowflake') ? 0.45 : hasAny(c, WAREHOUSES) ? 0.2 : 0.003) },
  { tech: 'airflow', chance: (c) => (hasAny(c, WAREHOUSES) ? 0.2 : 0.005) },
  { tech: 'mixpanel', chance: (c) => 0.12 * c.industry.techy },
  { tech: 'react', chance: (c) => 0.05 + 0.5 * c.industry.techy * FOCUSED(c) },
  { tech: 'next.js', chance: (c) => (c.has('react') ? 0.4 : 0.01) },
  { tech: 'vue', chance: (c) => (c.has('react') ? 0.04 : 0.1 * c.industry.digital) },
  { tech: 'github', chance: (c) => 0.05 + 0.6 * c.industry.techy },
  { tech: 'jira', chance: (c) => 0.04 + 0.5 * c.intensity },
  { tech: 'confluence', chance: (c) => (c.has('jira') ? 0.55 : 0.01) },
  { tech: 'datadog', chance: (c) => (hasAny(c, CLOUDS) ? 0.3 * c.industry.techy * FOCUSED(c) : 0.01) },
  { tech: 'sentry', chance: (c) => 0.3 * c.industry.techy },
  { tech: 'docker', chance: (c) => 0.45 * c.industry.techy },
  { tech: 'kubernetes', chance: (c) => (c.has('docker') ? 0.45 * FOCUSED(c) : 0.01) },
  { tech: 'terraform', chance: (c) => (hasAny(c, CLOUDS) ? 0.3 * c.industry.techy : 0.005) },
  { tech: 'cloudflare', chance: (c) => 0.2 + 0.15 * c.industry.digital },
  { tech: 'okta', chance: (c) => (c.employees >= 200 ? 0.05 + 0.35 * c.industry.digital : 0.03) },
  { tech: 'slack', chance: (c) => (c.has('microsoft-365') ? 0.2 : 0.25 + 0.5 * c.industry.digital) },
  { tech: 'microsoft-teams', chance: (c) => (c.has('microsoft-365') ? 0.65 : 0.02) },
  { tech: 'zoom', chance: () => 0.35 },
  { tech: 'notion', chance: (c) => 0.3 * c.industry.techy * (c.employees < 500 ? 1 : 0.4) },
  { tech: 'workday', chance: (c) => (c.employees >= 1000 ? 0.4 : c.employees >= 300 ? 0.1 : 0.005) },
  { tech: 'gong', chance: (c) => (c.businessModel === 'b2b' && (c.has('salesforce') || c.has('hubspot')) ? 0.15 * FOCUSED(c) : 0.005) },
  { tech: 'outreach', chance: (c) => (c.has('salesforce') ? 0.18 : 0.01) },
  { tech: 'linkedin-sales-navigator', chance: (c) => (c.businessModel === 'b2b' ? 0.2 : 0.03) },
  { tech: 'zoominfo', chance: (c) => (c.businessModel === 'b2b' ? 0.1 * c.scale : 0.01) },
];
